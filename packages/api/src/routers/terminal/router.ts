// The browser's terminal. Directly: a short-lived token, good for one Smith session, with which the
// browser opens Smith's WebSocket itself. Through the web server, for browsers that cannot reach the
// agent host: output streams through the run stream proxy, and keystrokes and resizes go through
// `input`/`resize` here. Either way the server's API key never leaves the control plane.
import { smithResizeBody } from "@kayos/contracts";
import { decryptSecret } from "@kayos/db/secrets";
import { signTerminalToken } from "@kayos/db/terminal-token";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { smithApi } from "../../clients/smith";
import { clientsFor, SERVER_DELETED, serverOfRun, type DispatchContext } from "../../services/dispatch";
import { createTRPCRouter, orgProcedure } from "../../trpc";

const TOKEN_TTL_SECONDS = 60;
const runId = z.object({ runId: z.string() });

/** The Smith session behind a run of this organization, and the server it runs on. */
async function sessionOf(ctx: DispatchContext & { org: { id: string } }, id: string) {
  const run = await ctx.db.agentRun.findFirst({
    where: { id, organizationId: ctx.org.id },
    select: { organizationId: true, service: true, externalId: true, serverId: true },
  });
  if (!run) throw new TRPCError({ code: "NOT_FOUND", message: `No run ${id} in this organization` });
  if (run.service !== "smith" || !run.externalId) {
    throw new TRPCError({ code: "BAD_REQUEST", message: "Only coding and shell runs (on Smith) have a terminal" });
  }
  const server = await serverOfRun(ctx, run);
  if (!server) throw new TRPCError({ code: "NOT_FOUND", message: SERVER_DELETED });
  return { sessionId: run.externalId, server };
}

export const terminalRouter = createTRPCRouter({
  /** Typing into a session changes it, so this needs the right to change runs. */
  open: orgProcedure("runs", "write")
    .input(runId)
    .mutation(async ({ ctx, input }) => {
      const { sessionId, server } = await sessionOf(ctx, input.runId);
      const token = signTerminalToken({
        sessionId,
        organizationId: ctx.org.id,
        apiKey: decryptSecret(server.apiKeyCiphertext, ctx.config.encryptionKey),
        ttlSeconds: TOKEN_TTL_SECONDS,
      });
      const url = new URL(`/api/v1/sessions/${encodeURIComponent(sessionId)}/terminal`, server.smithUrl);
      url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
      url.searchParams.set("token", token);
      return { url: url.toString(), sessionId, expiresAt: new Date(Date.now() + TOKEN_TTL_SECONDS * 1000) };
    }),

  /** Keystrokes through the web server (in order: the browser sends the next batch after this one answered). */
  input: orgProcedure("runs", "write")
    .input(runId.extend({ data: z.string().min(1).max(64 * 1024) }))
    .mutation(async ({ ctx, input }) => {
      const { sessionId, server } = await sessionOf(ctx, input.runId);
      return smithApi(clientsFor(ctx, server).smith).input(sessionId, input.data);
    }),

  resize: orgProcedure("runs", "write")
    .input(runId.extend(smithResizeBody.shape))
    .mutation(async ({ ctx, input }) => {
      const { sessionId, server } = await sessionOf(ctx, input.runId);
      const session = await smithApi(clientsFor(ctx, server).smith).resize(sessionId, { cols: input.cols, rows: input.rows });
      return { cols: session.cols, rows: session.rows };
    }),
});

// The browser's terminal: a short-lived token, good for one Smith session, with which the browser
// opens Smith's WebSocket itself. The server's API key never leaves the control plane.
import { decryptSecret } from "@kayos/db/secrets";
import { signTerminalToken } from "@kayos/db/terminal-token";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { serverFor } from "../../services/dispatch";
import { createTRPCRouter, orgProcedure } from "../../trpc";

const TOKEN_TTL_SECONDS = 60;

export const terminalRouter = createTRPCRouter({
  /** Typing into a session changes it, so this needs the right to change runs. */
  open: orgProcedure("runs", "write")
    .input(z.object({ runId: z.string() }))
    .mutation(async ({ ctx, input }) => {
      const run = await ctx.db.agentRun.findFirst({
        where: { id: input.runId, organizationId: ctx.org.id },
        select: { service: true, externalId: true, agent: { select: { serverId: true } } },
      });
      if (!run) throw new TRPCError({ code: "NOT_FOUND", message: `No run ${input.runId} in this organization` });
      if (run.service !== "smith" || !run.externalId) {
        throw new TRPCError({ code: "BAD_REQUEST", message: "Only coding and shell runs (on Smith) have a terminal" });
      }
      const server = await serverFor(ctx, ctx.org.id, run.agent?.serverId);
      const token = signTerminalToken({
        sessionId: run.externalId,
        organizationId: ctx.org.id,
        apiKey: decryptSecret(server.apiKeyCiphertext, ctx.config.encryptionKey),
        ttlSeconds: TOKEN_TTL_SECONDS,
      });
      const url = new URL(`/api/v1/sessions/${encodeURIComponent(run.externalId)}/terminal`, server.smithUrl);
      url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
      url.searchParams.set("token", token);
      return { url: url.toString(), sessionId: run.externalId, expiresAt: new Date(Date.now() + TOKEN_TTL_SECONDS * 1000) };
    }),
});

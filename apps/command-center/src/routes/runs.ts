// The user's own runs: list, one, and its event stream (SSE, resumable by Last-Event-ID).
import { answerText } from "@kayos/contracts";
import type { FastifyInstance, FastifyReply } from "fastify";
import { z } from "zod";
import { userOf } from "../auth/guard";
import type { AppContext } from "../context";
import { AppError, notFound, parse } from "../errors";
import type { RunEvent, RunRecord } from "../runs/types";
import { runView } from "../views";

const runParams = z.object({ id: z.string().regex(/^run_[0-9a-f]{24}$/, "is not a run id") });
const listQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) });
const streamQuery = z.object({ last_event_id: z.coerce.number().int().min(0).optional() });
const answerBody = z.object({ answer: answerText });
const HEARTBEAT_MS = 15_000;

export function runRoutes(app: FastifyInstance, ctx: AppContext) {
  const ownRun = (request: Parameters<typeof userOf>[0]) => {
    const user = userOf(request);
    const { id } = parse(runParams, request.params, "params");
    const run = ctx.store.get(id, { tenant: user.tenant, email: user.email });
    if (!run) throw notFound(`Run ${id}`);
    return run;
  };

  app.get("/api/runs", async (request) => {
    const user = userOf(request);
    const { limit } = parse(listQuery, request.query, "query");
    return { runs: ctx.store.list({ tenant: user.tenant, email: user.email }, limit).map(runView) };
  });

  app.get("/api/runs/:id", async (request) => runView(ownRun(request)));

  app.post("/api/runs/:id/answer", async (request) => {
    const run = ownRun(request);
    const { answer } = parse(answerBody, request.body, "body");
    if (run.status !== "running") throw new AppError("CONFLICT", `The run already ${run.status}; there is nothing left to answer`);
    const answered = await ctx.runner.answer(run.id, answer).catch((error: unknown) => {
      // The agent's service refused or could not be reached: the question stays open for another try.
      throw new AppError("CONFLICT", error instanceof Error ? error.message : String(error));
    });
    if (!answered) throw new AppError("CONFLICT", "The agent is not waiting for an answer");
    return { answered: true };
  });

  app.get("/api/runs/:id/stream", async (request, reply) => {
    const run = ownRun(request);
    const header = request.headers["last-event-id"];
    const fromHeader = typeof header === "string" && header !== "" ? Number(header) : undefined;
    if (fromHeader !== undefined && !(Number.isInteger(fromHeader) && fromHeader >= 0)) {
      throw new AppError("BAD_REQUEST", "Last-Event-ID must be the number of the last event received");
    }
    const after = fromHeader ?? parse(streamQuery, request.query, "query").last_event_id ?? 0;
    open(reply);
    const write = (e: RunEvent) => reply.raw.write(`id: ${e.seq}\nevent: ${e.type}\ndata: ${JSON.stringify(e.data)}\n\n`);

    await new Promise<void>((resolve) => {
      const end = () => {
        clearInterval(heartbeat);
        following?.stop();
        if (!reply.raw.writableEnded) reply.raw.end();
        resolve();
      };
      const heartbeat = setInterval(() => reply.raw.write(": keep-alive\n\n"), HEARTBEAT_MS);
      const following = ctx.runner.follow(run.id, after, (e) => {
        write(e);
        if (e.type === "done") end();
      });
      reply.raw.on("close", end);
      if (following) {
        for (const e of following.replay) write(e);
        if (following.replay.some((e) => e.type === "done")) end();
        return;
      }
      void ctx.store.eventsOf(run).then(
        (events) => {
          for (const e of closed(run, events)) if (e.seq > after) write(e);
          end();
        },
        () => end(),
      );
    });
  });
}

function open(reply: FastifyReply) {
  reply.hijack();
  // A stream is one long response: its socket closes with it, so a shutdown never waits on it.
  reply.raw.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache", "x-accel-buffering": "no", connection: "close" });
}

/** A finished run's events end with done; one cut short by a restart gets its error and done here. */
function closed(run: RunRecord, events: RunEvent[]): RunEvent[] {
  if (events.some((e) => e.type === "done")) return events;
  const at = run.finished_at ?? new Date().toISOString();
  const seq = events.length;
  return [
    ...events,
    { seq: seq + 1, type: "error", data: { message: run.error ?? "The run did not finish" }, at },
    { seq: seq + 2, type: "done", data: { status: run.status, output: run.output, error: run.error }, at },
  ];
}

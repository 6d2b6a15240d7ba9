// A session's git worktree: its diff against the base commit, and removing it once its work is kept.
import { errorBody, smithChanges, smithSessionParams, smithWorktreeRemoved } from "@kayos/contracts";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { HttpError } from "../../shared/errors";
import { callerOf } from "../../shared/server";
import { settingsOf } from "../services/live-session";
import type { SessionManager } from "../services/session-manager";
import type { Worktrees } from "../services/worktrees";

export function worktreeRoutes(app: FastifyInstance, sessions: SessionManager, worktrees: Worktrees) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const worktreeOf = async (request: Parameters<typeof callerOf>[0], id: string) => {
    const { row, live } = await sessions.get(callerOf(request).organizationId, id);
    const worktree = settingsOf(row).worktree;
    if (!worktree) throw new HttpError(404, `Session ${id} has no worktree (create it with worktree: true)`);
    return { row, live, worktree };
  };

  api.get(
    "/api/v1/sessions/:id/worktree/diff",
    {
      schema: {
        summary: "What the session's worktree holds now (its commits and uncommitted files) against the commit it started from, with unified diffs",
        params: smithSessionParams,
        response: { 200: smithChanges, 404: errorBody, 409: errorBody },
      },
    },
    async (request) => {
      const { row, worktree } = await worktreeOf(request, request.params.id);
      return worktrees.diff(row.id, worktree);
    },
  );

  api.delete(
    "/api/v1/sessions/:id/worktree",
    {
      schema: {
        summary: "Remove the session's worktree folder once the session has ended; its branch stays. Refused while it has uncommitted changes",
        params: smithSessionParams,
        response: { 200: smithWorktreeRemoved, 404: errorBody, 409: errorBody },
      },
    },
    async (request) => {
      const { live, worktree } = await worktreeOf(request, request.params.id);
      if (live) throw new HttpError(409, `Session ${request.params.id} is still running in its worktree; end it first`);
      return worktrees.remove(worktree);
    },
  );
}

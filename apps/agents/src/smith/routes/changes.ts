// What a session changed in its workspace, with unified diffs (services/changes.ts).
import { errorBody, smithChanges, smithSessionParams } from "@kayos/contracts";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { callerOf } from "../../shared/server";
import { sessionChanges } from "../services/changes";
import type { SessionManager } from "../services/session-manager";
import type { ShadowRepos } from "../services/shadow-repo";

export function changeRoutes(app: FastifyInstance, sessions: SessionManager, repos: ShadowRepos) {
  app.withTypeProvider<ZodTypeProvider>().get(
    "/api/v1/sessions/:id/changes",
    {
      schema: {
        summary: "Files the session changed in its workspace since it was created, with unified diffs (against the workspace now, or as it was when the session ended)",
        params: smithSessionParams,
        response: { 200: smithChanges, 404: errorBody, 503: errorBody },
      },
    },
    async (request) => {
      const { row, live } = await sessions.get(callerOf(request).organizationId, request.params.id);
      return sessionChanges(repos, { id: row.id, organizationId: row.organizationId, workspacePath: row.workspacePath, ended: !live });
    },
  );
}

// Session metrics, the organization dashboard, snapshots and diffs, and log retention.
import {
  costRecomputeInput,
  costRecomputeResult,
  dashboard as dashboardSchema,
  dashboardQuery,
  errorBody as errorBodySchema,
  retentionResult,
  sessionMetrics as sessionMetricsSchema,
  snapshotCreateInput,
  snapshotDiff,
  snapshotDiffQuery,
  snapshotManifest,
  text,
} from "@kayos/contracts";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { HttpError } from "../../shared/errors";
import { callerOf } from "../../shared/server";
import type { ObserverContext } from "../context";
import { dashboard } from "../services/dashboard";
import { recomputeCosts } from "../services/recompute-costs";
import { sessionMetrics } from "../services/metrics";
import { createSnapshot, diffSnapshot, getSnapshot } from "../services/snapshots";
import { deleteLogsBefore } from "../store/logs";

const DAY = 86_400_000;

export function analyticsRoutes(app: FastifyInstance, ctx: ObserverContext) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const errors = { 400: errorBodySchema, 404: errorBodySchema };

  api.get(
    "/api/v1/analytics/metrics/:session_id",
    {
      schema: {
        summary: "A session's tokens, cost, models, tool calls, errors, code changes, time and turns",
        params: z.object({ session_id: text().min(1).max(200) }),
        response: { 200: sessionMetricsSchema, ...errors },
      },
    },
    async (request) => sessionMetrics(ctx, callerOf(request).organizationId, request.params.session_id),
  );

  api.get(
    "/api/v1/analytics/dashboard",
    { schema: { summary: "The organization's usage over a time range (default: the last 30 days)", querystring: dashboardQuery, response: { 200: dashboardSchema, ...errors } } },
    async (request) => {
      const until = request.query.until ? new Date(request.query.until) : new Date();
      const since = request.query.since ? new Date(request.query.since) : new Date(until.getTime() - 30 * DAY);
      if (since >= until) throw new HttpError(400, "since must be before until");
      return dashboard(ctx, callerOf(request).organizationId, since, until, request.query.top);
    },
  );

  api.post(
    "/api/v1/analytics/costs/recompute",
    {
      schema: {
        summary: "Recompute stored costs with the current price table: rows priced with another version, and unpriced ones (reported costs stay)",
        body: costRecomputeInput,
        response: { 200: costRecomputeResult, ...errors },
      },
    },
    async (request) => {
      const { session_id, since, until, all } = request.body;
      if (since && until && new Date(since) >= new Date(until)) throw new HttpError(400, "since must be before until");
      return recomputeCosts(ctx.pool, callerOf(request).organizationId, { sessionId: session_id, since: since ? new Date(since) : undefined, until: until ? new Date(until) : undefined, all });
    },
  );

  api.post(
    "/api/v1/snapshots/create",
    { schema: { summary: "Snapshot a workspace (or some files) as git objects under a private ref", body: snapshotCreateInput, response: { 200: snapshotManifest, ...errors } } },
    async (request) => createSnapshot(ctx, callerOf(request).organizationId, request.body),
  );

  const idParams = z.object({ snapshot_id: text().min(1).max(200) });
  api.get(
    "/api/v1/snapshots/:snapshot_id",
    { schema: { summary: "A snapshot's manifest", params: idParams, response: { 200: snapshotManifest, ...errors } } },
    async (request) => getSnapshot(ctx, callerOf(request).organizationId, request.params.snapshot_id),
  );

  api.get(
    "/api/v1/snapshots/:snapshot_id/diff",
    {
      schema: {
        summary: "Files changed and lines added/removed against ?against= or the previous snapshot",
        params: idParams,
        querystring: snapshotDiffQuery,
        response: { 200: snapshotDiff, ...errors },
      },
    },
    async (request) => diffSnapshot(ctx, callerOf(request).organizationId, request.params.snapshot_id, request.query.against),
  );

  api.post(
    "/api/v1/logs/retention",
    {
      schema: {
        summary: "Delete the caller's organization's log lines older than the retention (OBSERVER_LOG_RETENTION_DAYS, or older_than_days) in bounded batches",
        body: z.object({ older_than_days: z.number().int().min(1).max(36_500).optional(), batch_size: z.number().int().min(100).max(100_000).optional() }).default({}),
        response: { 200: retentionResult },
      },
    },
    async (request) => {
      const days = request.body.older_than_days ?? ctx.env.OBSERVER_LOG_RETENTION_DAYS;
      return deleteLogsBefore(ctx.pool, callerOf(request).organizationId, new Date(Date.now() - days * DAY), request.body.batch_size);
    },
  );
}

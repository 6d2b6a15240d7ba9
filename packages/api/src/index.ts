import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "./root";

export { appRouter, createCaller, type AppRouter } from "./root";
export { createContextInner, type Context, type ContextOptions } from "./trpc";
export { AppError, statusOf } from "./errors";
export { apiEnv } from "./env";
export { authenticate, issueAccessToken, verifyAccessToken } from "./services/auth";
export { startRunReconciler } from "./services/run-reconciler";

export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;

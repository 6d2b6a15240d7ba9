import type { Frame } from "./checkpoint/types.js";
import { buildGraph, validateDefinition } from "./definition/build.js";
import { exportDefinition } from "./definition/export.js";
import type { NodeRegistry } from "./definition/registry.js";
import type { GraphDefinition } from "./definition/types.js";
import type { DefinitionIssue } from "./errors.js";
import { GraphBase, type GraphOptions } from "./graph-base.js";
import { orchestrate } from "./orchestrate.js";
import { resumeRun, type ResumeOptions } from "./resume.js";
import type { Level } from "./scope.js";
import type { MaybePromise, PostResult } from "./types.js";

export type { GraphOptions } from "./graph-base.js";

/**
 * Routes between nodes by the action each `post` returns. A Graph is itself a node: nested in
 * another graph, its final action drives the outer routing.
 */
export class Graph<Shared = unknown, Action extends string = string> extends GraphBase<Shared, Action> {
  prep(_shared: Shared): MaybePromise<unknown> {
    return undefined;
  }

  /** Receives the action of the last node; by default it becomes the graph's action. */
  post(_shared: Shared, _prepRes: unknown, lastAction: string): MaybePromise<PostResult<Action>> {
    return lastAction as PostResult<Action>;
  }

  /** Continues a saved run; `answer` answers a pending `ctx.interrupt()`. */
  resume(runId: string, options: ResumeOptions<Shared> = {}): Promise<Action> {
    return resumeRun(this, runId, options, this._runDefaults()) as Promise<Action>;
  }

  /** JSON definition of a graph whose nodes come from a NodeRegistry. */
  toDefinition(): GraphDefinition {
    return exportDefinition(this);
  }

  /** Builds a graph from validated JSON over registered node types; never evaluates code. */
  static fromDefinition<S = unknown>(definition: unknown, registry: NodeRegistry, options: GraphOptions = {}): Graph<S> {
    return buildGraph<S>(definition, registry, options);
  }

  /** Every problem of a definition (empty when valid). */
  static validateDefinition(definition: unknown, registry: NodeRegistry): DefinitionIssue[] {
    return validateDefinition(definition, registry);
  }

  /** @internal */
  async _visit(shared: Shared, level: Level, resume: readonly Frame[] | undefined): Promise<string | undefined | void> {
    const run = level.run;
    const saved = resume?.[0];
    const frame = run.store === undefined ? undefined : run.frames[level.depth];
    if (saved?.phase === "executed") return this.post(shared, saved.prep, saved.exec as string);
    const prepRes = saved?.phase === "inside" ? saved.prep : await this.prep(shared);
    if (frame !== undefined) {
      frame.phase = "inside";
      frame.prep = prepRes;
    }
    const inner: Level = { run, graphId: this.graphId, depth: level.depth + 1 };
    const last = await orchestrate(this, shared, this._params, inner, saved?.phase === "inside" ? resume?.slice(1) : undefined);
    if (frame !== undefined) {
      // The inner run is finished: a crash in post must not replay it.
      run.frames.length = level.depth + 1;
      frame.phase = "executed";
      frame.exec = last;
      await run.save("running");
    }
    return this.post(shared, prepRes, last);
  }
}

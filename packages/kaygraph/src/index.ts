export { BaseNode, type AnyNode, type NextArgs } from "./base-node.js";
export { Node } from "./node.js";
export { BatchNode, ParallelBatchNode, type ParallelBatchOptions } from "./batch.js";
export { GraphBase, type GraphOptions } from "./graph-base.js";
export { Graph } from "./graph.js";
export { BatchGraph, ParallelBatchGraph, type ParallelBatchGraphOptions } from "./batch-graph.js";
export { FanOut, type BranchResult, type FanOutOptions, type MergeRule } from "./fan-out.js";
export type { RunOptions } from "./run.js";
export type { ResumeOptions } from "./resume.js";
export type { ExecContext } from "./context.js";
export type { NodeOptions, BackoffOptions } from "./options.js";
export type { GraphEvent, GraphEventType, EventListener, RunStatus, WarningCode } from "./events.js";
export {
  GraphError,
  GraphOptionsError,
  MaxStepsError,
  AbortError,
  TimeoutError,
  GraphInterrupt,
  GraphDefinitionError,
  type GraphErrorCode,
  type DefinitionIssue,
} from "./errors.js";
export { retryDelay } from "./retry.js";
export { DEFAULT_MAX_STEPS } from "./orchestrate.js";
export { MemoryCheckpointStore } from "./checkpoint/memory-store.js";
export type { Checkpoint, CheckpointStatus, CheckpointStore, Frame } from "./checkpoint/types.js";
export { NodeRegistry, describeNode, type NodeType, type NodeSpec } from "./definition/registry.js";
export type { ConfigSchema, SafeParseResult } from "./definition/schema.js";
export { renderTemplate, type TemplateState } from "./definition/template.js";
export { GRAPH_NODE_TYPE, type GraphDefinition, type NodeDefinition, type EdgeDefinition, type DefinitionNodeOptions } from "./definition/types.js";
export type { MaybePromise, Params, PostResult } from "./types.js";

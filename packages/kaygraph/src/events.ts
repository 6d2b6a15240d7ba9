/** Run events. They are only built when an `onEvent` listener is set. */
export type WarningCode = "DEAD_END" | "REWIRED" | "SUCCESSORS_IGNORED";

export type RunStatus = "done" | "error" | "aborted" | "interrupted";

export type GraphEvent =
  | { type: "run:start"; graphId: string; runId: string | undefined; resumed: boolean }
  | { type: "node:start"; graphId: string; nodeId: string; step: number }
  | { type: "node:end"; graphId: string; nodeId: string; step: number; action: string; durationMs: number }
  | { type: "node:retry"; graphId: string; nodeId: string; attempt: number; delayMs: number; error: unknown }
  | { type: "node:error"; graphId: string; nodeId: string; step: number; error: unknown }
  | { type: "transition"; graphId: string; from: string; to: string; action: string }
  | { type: "warning"; code: WarningCode; message: string; graphId?: string; nodeId?: string }
  | {
      type: "run:end";
      graphId: string;
      runId: string | undefined;
      status: RunStatus;
      action?: string;
      error?: unknown;
      durationMs: number;
    };

export type GraphEventType = GraphEvent["type"];

export type EventListener = (event: GraphEvent) => void;

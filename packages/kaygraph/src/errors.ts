/** Every error the library raises is a GraphError (checked with `instanceof GraphError`). */
export type GraphErrorCode =
  | "NO_START"
  | "UNKNOWN_NODE"
  | "DUPLICATE_NODE"
  | "INVALID_OPTIONS"
  | "MAX_STEPS"
  | "ABORTED"
  | "TIMEOUT"
  | "INTERRUPTED"
  | "NO_STORE"
  | "RUN_NOT_FOUND"
  | "RUN_FINISHED"
  | "INVALID_DEFINITION"
  | "NOT_DESCRIBABLE"
  | "NOT_SERIALIZABLE";

const BRAND = Symbol.for("kaygraph.error");

function brand(error: Error, code: GraphErrorCode): void {
  Object.defineProperty(error, BRAND, { value: true });
  (error as { code?: GraphErrorCode }).code = code;
}

export class GraphError extends Error {
  declare readonly code: GraphErrorCode;

  constructor(code: GraphErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "GraphError";
    brand(this, code);
  }

  // Lets errors that must also be standard types (RangeError) still be GraphErrors.
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (this !== GraphError) return Function.prototype[Symbol.hasInstance].call(this, value);
    return typeof value === "object" && value !== null && BRAND in value;
  }
}

/** Invalid constructor options (e.g. `maxRetries < 1`): a RangeError that is also a GraphError. */
export class GraphOptionsError extends RangeError {
  declare readonly code: GraphErrorCode;

  constructor(message: string) {
    super(message);
    this.name = "GraphOptionsError";
    brand(this, "INVALID_OPTIONS");
  }
}

export class MaxStepsError extends GraphError {
  constructor(
    readonly graphId: string,
    readonly nodeId: string,
    readonly step: number,
    readonly maxSteps: number,
  ) {
    super(
      "MAX_STEPS",
      `Graph "${graphId}" exceeded maxSteps=${maxSteps}: step ${step} would run node "${nodeId}". Raise maxSteps or add an exit to the loop.`,
    );
    this.name = "MaxStepsError";
  }
}

export class AbortError extends GraphError {
  constructor(reason?: unknown) {
    super("ABORTED", "The run was aborted; no further node was started.", { cause: reason });
    this.name = "AbortError";
  }
}

export class TimeoutError extends GraphError {
  constructor(
    readonly nodeId: string,
    readonly timeoutMs: number,
  ) {
    super("TIMEOUT", `exec of node "${nodeId}" timed out after ${timeoutMs} ms`);
    this.name = "TimeoutError";
  }
}

/** Raised by `ctx.interrupt(value)`: the run was saved and waits for `graph.resume(runId, { answer })`. */
export class GraphInterrupt extends GraphError {
  constructor(
    readonly value: unknown,
    readonly nodeId: string,
    readonly runId: string,
  ) {
    super("INTERRUPTED", `Run "${runId}" interrupted at node "${nodeId}"; resume it with an answer.`);
    this.name = "GraphInterrupt";
  }
}

export interface DefinitionIssue {
  /** Where in the definition, e.g. `nodes[2].config.url`. */
  path: string;
  message: string;
}

export class GraphDefinitionError extends GraphError {
  constructor(readonly issues: readonly DefinitionIssue[]) {
    super(
      "INVALID_DEFINITION",
      `Invalid graph definition (${issues.length} problem${issues.length === 1 ? "" : "s"}):\n` +
        issues.map((i) => `  - ${i.path || "(root)"}: ${i.message}`).join("\n"),
    );
    this.name = "GraphDefinitionError";
  }
}

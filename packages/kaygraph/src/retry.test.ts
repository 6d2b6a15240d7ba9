import { describe, expect, it } from "vitest";
import type { ExecContext } from "./context.js";
import { TimeoutError } from "./errors.js";
import { Graph } from "./graph.js";
import { Node } from "./node.js";
import { resolveNodeOptions } from "./options.js";
import { retryDelay } from "./retry.js";
import { recorder } from "./test-helpers.js";

interface S {
  result?: unknown;
}

/** Fails the first `failures` attempts of exec. */
class Flaky extends Node<S, string, string> {
  attempts: number[] = [];
  constructor(
    private readonly failures: number,
    options: ConstructorParameters<typeof Node>[0] = {},
  ) {
    super(options);
  }
  override prep(): string {
    return "input";
  }
  override exec(prepRes: string, ctx: ExecContext): string {
    this.attempts.push(ctx.attempt);
    if (ctx.attempt < this.failures) throw new Error(`fail ${ctx.attempt}`);
    return `${prepRes} ok`;
  }
  override post(shared: S, _p: string, execRes: string): void {
    shared.result = { value: execRes, attempts: this.attempts };
  }
}

describe("Retries", () => {
  it("retries exec until it succeeds within maxRetries", async () => {
    const shared: S = {};
    await new Flaky(2, { maxRetries: 3 }).run(shared);
    expect(shared.result).toEqual({ value: "input ok", attempts: [0, 1, 2] });
  });

  it("after the last failed attempt calls execFallback with prep's result and the last error", async () => {
    const calls: unknown[] = [];
    class WithFallback extends Flaky {
      override execFallback(prepRes: string, error: unknown): string {
        calls.push([prepRes, (error as Error).message]);
        return "fallback";
      }
    }
    const shared: S = {};
    await new WithFallback(5, { maxRetries: 2 }).run(shared);
    expect(calls).toEqual([["input", "fail 1"]]);
    expect(shared.result).toEqual({ value: "fallback", attempts: [0, 1] });
  });

  it("the default execFallback re-throws the last error", async () => {
    await expect(new Flaky(5, { maxRetries: 2 }).run({})).rejects.toThrow("fail 1");
  });

  it("does not retry prep or post: their errors propagate at once", async () => {
    let preps = 0;
    let posts = 0;
    class BadPrep extends Node<S> {
      override prep(): never {
        preps++;
        throw new Error("prep failed");
      }
    }
    class BadPost extends Node<S> {
      override post(): never {
        posts++;
        throw new Error("post failed");
      }
    }
    await expect(new BadPrep({ maxRetries: 3 }).run({})).rejects.toThrow("prep failed");
    await expect(new BadPost({ maxRetries: 3 }).run({})).rejects.toThrow("post failed");
    expect([preps, posts]).toEqual([1, 1]);
  });

  it("retryOn returning false skips the remaining attempts and goes to the fallback", async () => {
    const node = new Flaky(5, { maxRetries: 5, retryOn: (e) => (e as Error).message !== "fail 1" });
    await expect(node.run({})).rejects.toThrow("fail 1");
    // Each run visits a copy, so read attempts from an event-free spy instead.
    const attempts: number[] = [];
    class Spy extends Node<S> {
      override exec(_p: unknown, ctx: ExecContext): never {
        attempts.push(ctx.attempt);
        throw new Error(ctx.attempt === 1 ? "fatal" : "transient");
      }
    }
    await expect(new Spy({ maxRetries: 5, retryOn: (e) => (e as Error).message !== "fatal" }).run({})).rejects.toThrow("fatal");
    expect(attempts).toEqual([0, 1]);
  });

  it("reports each retry as a node:retry event", async () => {
    const rec = recorder();
    await new Graph<S>(new Flaky(2, { id: "flaky", maxRetries: 3 })).run({}, { onEvent: rec.onEvent });
    expect(rec.of("node:retry").map((e) => [e.nodeId, e.attempt, (e.error as Error).message])).toEqual([
      ["flaky", 0, "fail 0"],
      ["flaky", 1, "fail 1"],
    ]);
  });

  it("waits waitMs between attempts", async () => {
    const started = performance.now();
    await new Flaky(2, { maxRetries: 3, waitMs: 25 }).run({});
    expect(performance.now() - started).toBeGreaterThanOrEqual(45);
  });
});

describe("Backoff", () => {
  it("grows exponentially from waitMs, capped by maxMs, without jitter", () => {
    const options = resolveNodeOptions({ maxRetries: 6, waitMs: 10, backoff: { factor: 2, maxMs: 50, jitter: 0 } });
    expect([0, 1, 2, 3, 4].map((a) => retryDelay(options, a))).toEqual([10, 20, 40, 50, 50]);
  });

  it("jitter randomises at most the given fraction of each delay", () => {
    const options = resolveNodeOptions({ waitMs: 100, backoff: { factor: 3, jitter: 0.5 } });
    expect(retryDelay(options, 1, () => 0)).toBe(300);
    expect(retryDelay(options, 1, () => 1)).toBe(150);
    for (let i = 0; i < 50; i++) {
      const d = retryDelay(options, 2);
      expect(d).toBeGreaterThanOrEqual(450);
      expect(d).toBeLessThanOrEqual(900);
    }
  });

  it("reports the backoff delay of each retry", async () => {
    const rec = recorder();
    await new Graph<S>(new Flaky(3, { maxRetries: 4, waitMs: 2, backoff: { factor: 2, jitter: 0 } })).run({}, { onEvent: rec.onEvent });
    expect(rec.of("node:retry").map((e) => e.delayMs)).toEqual([2, 4, 8]);
  });
});

describe("Timeouts", () => {
  it("fails an attempt that exceeds timeoutMs with a TimeoutError and aborts its signal", async () => {
    let signal: AbortSignal | undefined;
    class Slow extends Node<S> {
      override exec(_p: unknown, ctx: ExecContext): Promise<void> {
        signal = ctx.signal;
        return new Promise(() => undefined);
      }
    }
    const error = await new Slow({ id: "slow", timeoutMs: 20 }).run({}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as TimeoutError).message).toContain('"slow"');
    expect(signal?.aborted).toBe(true);
  });

  it("applies the timeout per attempt, so a retry after a timeout can succeed", async () => {
    class SlowOnce extends Node<S> {
      override async exec(_p: unknown, ctx: ExecContext): Promise<string> {
        if (ctx.attempt === 0) await new Promise((r) => setTimeout(r, 200));
        return `attempt ${ctx.attempt}`;
      }
      override post(shared: S, _p: unknown, e: unknown): void {
        shared.result = e;
      }
    }
    const shared: S = {};
    await new SlowOnce({ timeoutMs: 30, maxRetries: 2 }).run(shared);
    expect(shared.result).toBe("attempt 1");
  });
});

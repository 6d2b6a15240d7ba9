import { describe, expectTypeOf, it } from "vitest";
import { BatchNode } from "./batch.js";
import type { ExecContext } from "./context.js";
import { Graph } from "./graph.js";
import { Node } from "./node.js";

interface Shared {
  question: string;
  answer?: string;
}

type Review = "approve" | "reject";

class Ask extends Node<Shared, string, number, Review> {
  override prep(shared: Shared): string {
    return shared.question;
  }
  override exec(question: string, ctx: ExecContext): number {
    expectTypeOf(ctx.attempt).toEqualTypeOf<number>();
    expectTypeOf(ctx.signal).toEqualTypeOf<AbortSignal>();
    return question.length;
  }
  override post(_shared: Shared, _question: string, score: number): Review {
    return score > 3 ? "approve" : "reject";
  }
}

describe("typed wiring", () => {
  it("post can only return the node's declared actions", () => {
    class Wrong extends Node<Shared, string, number, Review> {
      // @ts-expect-error "maybe" is not one of the declared actions
      override post(): "maybe" {
        return "maybe";
      }
    }
    class NoDefault extends Node<Shared, string, number, Review> {
      // @ts-expect-error undefined means "default", which this node does not declare
      override post(): undefined {
        return undefined;
      }
    }
    class WithDefault extends Node<Shared, string, number, Review | "default"> {
      override post(): undefined {
        return undefined;
      }
    }
    expectTypeOf<Wrong | NoDefault | WithDefault>().not.toBeNever();
  });

  it("on() only accepts declared actions", () => {
    const ask = new Ask();
    ask.on("approve", new Node<Shared>());
    // @ts-expect-error "maybe" is not declared by Ask
    ask.on("maybe", new Node<Shared>());
  });

  it("next() needs an explicit action when the node does not declare default", () => {
    const ask = new Ask();
    ask.next(new Node<Shared>(), "reject");
    // @ts-expect-error Ask has no "default" action
    ask.next(new Node<Shared>());
    // @ts-expect-error "other" is not declared
    ask.next(new Node<Shared>(), "other");
    const plain = new Node<Shared>();
    const after = plain.next(new Ask());
    expectTypeOf(after).toEqualTypeOf<Ask>();
  });

  it("prep's result type flows into exec, and exec's into post", () => {
    class BadExec extends Node<Shared, string, number> {
      // @ts-expect-error exec receives prep's string, not a number[]
      override exec(prepRes: number[]): number {
        return prepRes.length;
      }
    }
    class BadPost extends Node<Shared, string, number> {
      // @ts-expect-error post receives exec's number, not a string[]
      override post(_s: Shared, _p: string, execRes: string[]): void {
        void execRes;
      }
    }
    class BadPrep extends Node<Shared, string, number> {
      // @ts-expect-error prep must return the declared PrepRes (string)
      override prep(): number {
        return 1;
      }
    }
    class AsyncOk extends Node<Shared, string, number> {
      override async prep(): Promise<string> {
        return "q";
      }
      override async exec(prepRes: string): Promise<number> {
        return prepRes.length;
      }
    }
    expectTypeOf<BadExec | BadPost | BadPrep | AsyncOk>().not.toBeNever();
  });

  it("run resolves to the declared actions", () => {
    expectTypeOf(new Ask().run({ question: "?" })).toEqualTypeOf<Promise<Review>>();
    expectTypeOf(new Graph<Shared, "done">().run({ question: "?" })).toEqualTypeOf<Promise<"done">>();
  });

  it("wiring nodes with incompatible shared state is a type error", () => {
    const a = new Node<{ count: number }>();
    // @ts-expect-error shared state { label: string } does not fit { count: number }
    a.next(new Node<{ label: string }>());
    // @ts-expect-error a graph over { count: number } cannot start at a node over { label: string }
    new Graph<{ count: number }>(new Node<{ label: string }>());
  });

  it("batch nodes type items and results", () => {
    class Lengths extends BatchNode<Shared, string, number, "done"> {
      override prep(): string[] {
        return ["a", "bb"];
      }
      override exec(item: string): number {
        expectTypeOf(item).toEqualTypeOf<string>();
        return item.length;
      }
      override post(_s: Shared, items: readonly string[], results: number[]): "done" {
        expectTypeOf(items).toEqualTypeOf<readonly string[]>();
        expectTypeOf(results).toEqualTypeOf<number[]>();
        return "done";
      }
    }
    class BadItem extends BatchNode<Shared, string, number> {
      // @ts-expect-error exec receives one string item, not a number
      override exec(item: number): number {
        return item;
      }
    }
    expectTypeOf<Lengths | BadItem>().not.toBeNever();
  });
});

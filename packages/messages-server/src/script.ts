import { matchMainLoop, type Predicate } from "./matchers";
import { type MessagesCall } from "./recorded-request";
import { type Reply, type ReplySource } from "./replies";

interface Entry {
  match?: Predicate;
  source: ReplySource;
  /** Persistent entries answer every matching request and are never consumed. */
  persistent: boolean;
}

/**
 * The replies a test has lined up. Each valid `POST /v1/messages` takes the first entry whose
 * predicate accepts it (entries without one accept anything); when none does, the default
 * responder answers. Entries are consumed in order, so a test reads like the conversation.
 */
export class Script {
  private entries: Entry[] = [];

  /** Replies for the next requests, whatever they are. */
  push(...sources: ReplySource[]): this {
    this.entries.push(...sources.map((source) => ({ source, persistent: false })));
    return this;
  }

  /** Replies for the next requests that `match` accepts; other requests pass them by. */
  when(match: Predicate, ...sources: ReplySource[]): this {
    this.entries.push(...sources.map((source) => ({ match, source, persistent: false })));
    return this;
  }

  /** Replies for Claude Code's (or any tool-using) agent loop only; see `matchMainLoop`. */
  mainLoop(...sources: ReplySource[]): this {
    return this.when(matchMainLoop, ...sources);
  }

  /** Answers every request `match` accepts with `source`, until `clear()`. Checked in line with the queue. */
  always(match: Predicate, source: ReplySource): this {
    this.entries.push({ match, source, persistent: true });
    return this;
  }

  /** Scripted replies not yet used (persistent ones excluded). */
  get pending(): number {
    return this.entries.filter((entry) => !entry.persistent).length;
  }

  clear(): this {
    this.entries = [];
    return this;
  }

  /** Takes the reply for a request, or undefined when the default responder should answer. */
  take(call: MessagesCall): Reply | undefined {
    const index = this.entries.findIndex((entry) => entry.match === undefined || entry.match(call));
    const entry = this.entries[index];
    if (!entry) return undefined;
    if (!entry.persistent) this.entries.splice(index, 1);
    return typeof entry.source === "function" ? entry.source(call) : entry.source;
  }
}

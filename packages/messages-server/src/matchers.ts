import { lastToolResults, lastUserText, type MessagesCall } from "./recorded-request";

/** Decides whether a scripted reply is meant for a request. */
export type Predicate = (call: MessagesCall) => boolean;

const test = (pattern: string | RegExp, value: string): boolean =>
  typeof pattern === "string" ? value.includes(pattern) : pattern.test(value);

export const match = {
  /** The request's model equals the string, or matches the pattern. */
  model: (model: string | RegExp): Predicate => (call) =>
    typeof model === "string" ? call.body.model === model : model.test(call.body.model),
  /** The last user turn's text contains the string, or matches the pattern. */
  lastUserText: (pattern: string | RegExp): Predicate => (call) => test(pattern, lastUserText(call.body)),
  /** The request offers tools (optionally one with this name). */
  hasTools: (name?: string): Predicate => (call) =>
    (call.body.tools ?? []).some((tool) => name === undefined || tool.name === name),
  /** The last user turn carries tool results (optionally one answering a call to this tool). */
  hasToolResult: (toolName?: string): Predicate => (call) =>
    lastToolResults(call.body).some((result) => toolName === undefined || result.toolName === toolName),
  streaming: (): Predicate => (call) => call.body.stream === true,
  all: (...predicates: Predicate[]): Predicate => (call) => predicates.every((p) => p(call)),
  any: (...predicates: Predicate[]): Predicate => (call) => predicates.some((p) => p(call)),
  not: (predicate: Predicate): Predicate => (call) => !predicate(call),
};

/**
 * Claude Code's agent loop always offers tools; its auxiliary requests (titles, topic detection,
 * quota checks, often on a smaller model) do not. Keying scripted replies on this keeps those
 * side requests from consuming replies meant for the loop; they get the default responder.
 */
export const matchMainLoop: Predicate = match.hasTools();

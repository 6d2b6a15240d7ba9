// Node types an inline KayGraph definition may use when it runs inside the Command Center, without
// Nexus: text templates, HTTP requests and waits. Each stores its result in shared.results[id].
import { Node, NodeRegistry, type ExecContext, type NodeOptions } from "@kayos/kaygraph";
import { z } from "zod";

export interface Shared {
  input: Record<string, unknown>;
  results: Record<string, unknown>;
}

/** `{{input.prompt}}`, `{{results.fetch.title}}`: plain lookups, nothing is evaluated. */
export function render(template: string, shared: Shared): string {
  return template.replace(/\{\{\s*([a-zA-Z_][\w-]*(?:\.[\w-]+)*)\s*\}\}/g, (_m, path: string) => {
    let value: unknown = shared;
    for (const key of path.split(".")) value = value !== null && typeof value === "object" ? (value as Record<string, unknown>)[key] : undefined;
    if (value === undefined) return "";
    return typeof value === "string" ? value : JSON.stringify(value);
  });
}

const templateConfig = z.object({ text: z.string().max(100_000) });
const httpConfig = z.object({
  url: z.string().min(1).max(2000).describe("may contain {{placeholders}}"),
  method: z.enum(["GET", "POST"]).default("GET"),
  /** POST body text (placeholders allowed), sent as JSON when it parses as JSON. */
  body: z.string().max(100_000).optional(),
});
const waitConfig = z.object({ ms: z.number().int().min(0).max(60_000) });

type Options = NodeOptions & { id: string };

abstract class ResultNode<Exec> extends Node<Shared, Shared, Exec> {
  override prep(shared: Shared) {
    return shared;
  }
  override post(shared: Shared, _prep: Shared, result: Exec): undefined {
    shared.results[this.id!] = result;
    return undefined;
  }
}

class TemplateNode extends ResultNode<string> {
  constructor(private readonly config: z.infer<typeof templateConfig>, options: Options) {
    super(options);
  }
  override exec(shared: Shared) {
    return render(this.config.text, shared);
  }
}

class HttpNode extends ResultNode<unknown> {
  constructor(private readonly config: z.infer<typeof httpConfig>, options: Options) {
    super(options);
  }
  override async exec(shared: Shared, ctx: ExecContext) {
    const body = this.config.body === undefined ? undefined : render(this.config.body, shared);
    const res = await fetch(render(this.config.url, shared), {
      method: this.config.method,
      headers: body === undefined ? {} : { "content-type": isJson(body) ? "application/json" : "text/plain" },
      body,
      signal: ctx.signal,
    });
    const text = (await res.text()).slice(0, 100_000);
    if (!res.ok) throw new Error(`${this.config.method} ${res.url} answered ${res.status}`);
    return isJson(text) ? (JSON.parse(text) as unknown) : text;
  }
}

class WaitNode extends ResultNode<{ waited_ms: number }> {
  constructor(private readonly config: z.infer<typeof waitConfig>, options: Options) {
    super(options);
  }
  override exec(_shared: Shared, ctx: ExecContext) {
    return new Promise<{ waited_ms: number }>((resolve, reject) => {
      const timer = setTimeout(() => resolve({ waited_ms: this.config.ms }), this.config.ms);
      ctx.signal.addEventListener("abort", () => (clearTimeout(timer), reject(ctx.signal.reason)), { once: true });
    });
  }
}

function isJson(text: string) {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

export const localRegistry = () =>
  new NodeRegistry()
    .register("template", { description: "Render text with {{input.prompt}} / {{results.<node>}}", config: templateConfig, create: (c, o) => new TemplateNode(c, o) })
    .register("http.request", { description: "GET or POST a URL; the JSON or text answer is the result", config: httpConfig, create: (c, o) => new HttpNode(c, o) })
    .register("wait", { description: "Wait ms milliseconds", config: waitConfig, create: (c, o) => new WaitNode(c, o) });

// Node types an inline KayGraph definition may use when it runs inside the Command Center, without
// Nexus: text templates, HTTP requests and waits. Each stores its result in shared.results[id].
import { Node, NodeRegistry, renderTemplate, type ExecContext, type NodeOptions, type TemplateState } from "@kayos/kaygraph";
import { z } from "zod";

const templateConfig = z.object({ text: z.string().max(100_000) });
const httpConfig = z.object({
  url: z.string().min(1).max(2000).describe("may contain {{placeholders}}"),
  method: z.enum(["GET", "POST"]).default("GET"),
  /** POST body text (placeholders allowed), sent as JSON when it parses as JSON. */
  body: z.string().max(100_000).optional(),
});
const waitConfig = z.object({ ms: z.number().int().min(0).max(60_000) });

type Options = NodeOptions & { id: string };

abstract class ResultNode<Exec> extends Node<TemplateState, TemplateState, Exec> {
  override prep(shared: TemplateState) {
    return shared;
  }
  override post(shared: TemplateState, _prep: TemplateState, result: Exec): undefined {
    shared.results[this.id!] = result;
    return undefined;
  }
}

class TemplateNode extends ResultNode<string> {
  constructor(private readonly config: z.infer<typeof templateConfig>, options: Options) {
    super(options);
  }
  override exec(shared: TemplateState) {
    return renderTemplate(this.config.text, shared);
  }
}

class HttpNode extends ResultNode<unknown> {
  constructor(private readonly config: z.infer<typeof httpConfig>, options: Options) {
    super(options);
  }
  override async exec(shared: TemplateState, ctx: ExecContext) {
    const body = this.config.body === undefined ? undefined : renderTemplate(this.config.body, shared);
    const res = await fetch(renderTemplate(this.config.url, shared), {
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
  override exec(_shared: TemplateState, ctx: ExecContext) {
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

// The node classes behind the registry. Each stores what it produced in shared.results[its id].
import { Node, renderTemplate, type ExecContext, type NodeOptions, type TemplateState } from "@kayos/kaygraph";
import type { z } from "zod";
import type { RunContext } from "../agent-types/types";
import type { humanInputConfig, llmCallConfig, smithTaskConfig, toolCallConfig } from "./registry";
import { TOOLS } from "./tools";

type Options = NodeOptions & { id: string };

function need(run: RunContext | undefined): RunContext {
  if (!run) throw new Error("this node was built for validation only and cannot run");
  return run;
}

abstract class ResultNode<Prep, Exec> extends Node<TemplateState, Prep, Exec> {
  override post(shared: TemplateState, _prep: Prep, result: Exec): undefined {
    shared.results[this.id!] = result;
    return undefined;
  }
}

export class LlmCallNode extends ResultNode<string, string> {
  constructor(
    private readonly config: z.infer<typeof llmCallConfig>,
    private readonly runCtx: RunContext | undefined,
    options: Options,
  ) {
    super(options);
  }
  override prep(shared: TemplateState) {
    return renderTemplate(this.config.prompt, shared);
  }
  override async exec(prompt: string, ctx: ExecContext) {
    const run = need(this.runCtx);
    const nodeId = ctx.nodeId ?? "llm";
    const message = await run.claude({
      model: this.config.model ?? run.input.model,
      maxTokens: this.config.max_tokens ?? run.input.max_tokens,
      system: this.config.system,
      messages: [{ role: "user", content: prompt }],
      onText: (text) => run.emit("token", { text, node_id: nodeId }),
    });
    return message.content.map((b) => (b.type === "text" ? b.text : "")).join("");
  }
}

export class ToolCallNode extends ResultNode<TemplateState, unknown> {
  constructor(
    private readonly config: z.infer<typeof toolCallConfig>,
    private readonly runCtx: RunContext | undefined,
    options: Options,
  ) {
    super(options);
  }
  override prep(shared: TemplateState) {
    return shared;
  }
  override async exec(shared: TemplateState, ctx: ExecContext) {
    const run = need(this.runCtx);
    const tool = TOOLS[this.config.tool];
    // Validated with the definition; parsed again for the tool's own types.
    return tool.run(tool.args.parse(this.config.args) as never, { shared, signal: ctx.signal, config: run.deps.config });
  }
}

export class SmithTaskNode extends ResultNode<string, unknown> {
  constructor(
    private readonly config: z.infer<typeof smithTaskConfig>,
    private readonly runCtx: RunContext | undefined,
    options: Options,
  ) {
    super(options);
  }
  override prep(shared: TemplateState) {
    return renderTemplate(this.config.prompt, shared);
  }
  override async exec(prompt: string, ctx: ExecContext) {
    const run = need(this.runCtx);
    const url = run.deps.config.KAYSMITH_URL;
    if (!url) throw new Error("Cannot dispatch the code task: KAYSMITH_URL is not set (KaySmith's address, e.g. http://127.0.0.1:8001)");
    const key = run.deps.keys.get(run.organizationId);
    if (!key) throw new Error("Cannot dispatch the code task: no API key of this organization is known to Nexus yet");
    let res: Response;
    try {
      res = await fetch(`${url.replace(/\/+$/, "")}/api/v1/sessions/create`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
        body: JSON.stringify({ workspace: this.config.workspace, agent_type: this.config.agent_type, prompt }),
        signal: ctx.signal,
      });
    } catch (error) {
      throw new Error(`KaySmith at ${url} is unreachable: ${(error as Error).message}`);
    }
    const text = await res.text();
    if (!res.ok) throw new Error(`KaySmith refused the code task (${res.status}): ${text.slice(0, 500)}`);
    return JSON.parse(text) as unknown;
  }
}

export class HumanInputNode extends ResultNode<string, unknown> {
  constructor(
    private readonly config: z.infer<typeof humanInputConfig>,
    private readonly runCtx: RunContext | undefined,
    options: Options,
  ) {
    super(options);
  }
  override prep(shared: TemplateState) {
    return renderTemplate(this.config.question, shared);
  }
  override exec(question: string, ctx: ExecContext) {
    need(this.runCtx);
    // The question itself is what `waiting_for.question` shows (it was wrapped: {question: {question}}).
    return ctx.interrupt<unknown>(question);
  }
}

import { encryptSecret } from "@kayos/db/secrets";
import { freePort } from "@kayos/devstack";
import { randomUUID } from "node:crypto";
import { reply } from "@kayos/messages-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAgentServices, type AgentServices } from "../../testing/agent-services";
import { eventually } from "../../testing/eventually";
import { createFixtures, ENCRYPTION_KEY, type Fixtures } from "../../testing/fixtures";

let f: Fixtures;
let services: AgentServices;
let urls: AgentServices["urls"];
let claude: AgentServices["claude"];

beforeAll(async () => {
  f = await createFixtures();
  services = await startAgentServices(f, ["nexus", "observer"]);
  ({ urls, claude } = services);
});

afterAll(async () => {
  await services?.stop();
  await f?.close();
});

/** Reads the conversation until its last reply has settled (bounded). */
const settled = (api: ReturnType<Fixtures["caller"]>, id: string) =>
  eventually(
    () => api.conversations.get({ id }),
    (c) => c.messages.at(-1)?.role === "assistant" && !!c.messages.at(-1)?.content,
    "the reply settling",
  );

describe("conversations", () => {
  it("keeps a multi-turn chat: each reply is a run, the second turn carries the first as history", async () => {
    const org = await f.organization(urls);
    const builder = f.caller((await f.member(org.id, "builder")).id);
    const agent = await builder.agents.create({ name: "Helper", agentType: "claude-conversational", config: { system: "Be brief." } });
    await builder.agents.publish({ id: agent.id });
    const conversation = await builder.conversations.create({ agentId: agent.id });
    expect(conversation.title).toBe("Chat with Helper");

    claude.script.push(reply.text("Paris is the capital of France."));
    const first = await builder.conversations.send({ id: conversation.id, content: "What is the capital of France?" });
    expect(first.streamUrl).toBe(`/api/runs/${first.runId}/stream`);
    let view = await settled(builder, conversation.id);
    expect(view.messages.map((m) => [m.role, m.content])).toEqual([
      ["user", "What is the capital of France?"],
      ["assistant", "Paris is the capital of France."],
    ]);
    expect(view.messages[1]?.run?.status).toBe("succeeded");
    const run = await builder.runs.get({ id: first.runId });
    expect(run.agentVersion?.version).toBe(1);

    claude.script.push(reply.text("About 2.1 million people."));
    await builder.conversations.send({ id: conversation.id, content: "How many people live there?" });
    view = await settled(builder, conversation.id);
    expect(view.messages.map((m) => m.content).at(-1)).toBe("About 2.1 million people.");
    // Nexus sent the earlier turns to the model: the history lives on.
    const last = claude.requests.filter((r) => r.path === "/v1/messages").at(-1);
    const sent = JSON.stringify(last?.body);
    expect(sent).toContain("What is the capital of France?");
    expect(sent).toContain("Paris is the capital of France.");
    expect(sent).toContain("Be brief.");

    const list = await builder.conversations.list();
    expect(list[0]).toMatchObject({ id: conversation.id, messageCount: 4, lastMessage: { role: "assistant" } });
  });

  it("goes on where its history is when the agent moves to another server, and says so once that server is deleted", async () => {
    const org = await f.organization(urls);
    const builder = f.caller((await f.member(org.id, "builder")).id);
    const agent = await builder.agents.create({ name: "Traveller", agentType: "claude-conversational", config: {} });
    await builder.agents.publish({ id: agent.id });
    const conversation = await builder.conversations.create({ agentId: agent.id });
    claude.script.push(reply.text("The sky is blue."));
    const first = await builder.conversations.send({ id: conversation.id, content: "What colour is the sky?" });
    await settled(builder, conversation.id);
    const home = (await builder.runs.get({ id: first.runId })).serverId!;

    // Another server of the organization, reached with another organization's key: this history is not there.
    const otherKey = `kay_conv_other_${randomUUID()}`;
    await f.organization(urls, otherKey);
    const elsewhere = await f.db.customerServer.create({ data: { organizationId: org.id, name: "elsewhere", ...urls, apiKeyCiphertext: encryptSecret(otherKey, ENCRYPTION_KEY) } });
    await builder.agents.updateDraft({ id: agent.id, serverId: elsewhere.id });
    claude.script.push(reply.text("Because of Rayleigh scattering."));
    const second = await builder.conversations.send({ id: conversation.id, content: "Why?" });
    const view = await settled(builder, conversation.id);
    expect(view.messages.at(-1)?.content).toBe("Because of Rayleigh scattering.");
    expect(JSON.stringify(claude.requests.filter((r) => r.path === "/v1/messages").at(-1)?.body)).toContain("The sky is blue.");
    expect((await builder.runs.get({ id: second.runId })).serverId).toBe(home);

    await f.caller((await f.member(org.id, "admin")).id).servers.remove({ id: home });
    await expect(builder.conversations.send({ id: conversation.id, content: "And at night?" })).rejects.toMatchObject({
      code: "CONFLICT",
      message: "This conversation's history was on a server that has been deleted: start a new conversation",
    });
    expect((await builder.conversations.get({ id: conversation.id })).messages).toHaveLength(4);
  });

  it("refuses agents that cannot chat, empty messages, and other organizations' conversations", async () => {
    const org = await f.organization(urls);
    const builder = f.caller((await f.member(org.id, "builder")).id);
    const shell = await builder.agents.create({ name: "Shell", agentType: "shell", config: { workspace: "w" } });
    await expect(builder.conversations.create({ agentId: shell.id })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining("A shell agent cannot chat"),
    });
    const mine = await builder.conversations.create({});
    await expect(builder.conversations.send({ id: mine.id, content: "   " })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect((await builder.conversations.get({ id: mine.id })).messages).toEqual([]);

    const other = await f.organization(urls);
    const stranger = f.caller((await f.member(other.id, "owner")).id);
    await expect(stranger.conversations.get({ id: mine.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(stranger.conversations.send({ id: mine.id, content: "hi" })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("keeps nothing when the agent service cannot be reached", async () => {
    const org = await f.organization({ ...urls, nexusUrl: `http://127.0.0.1:${await freePort()}` });
    const builder = f.caller((await f.member(org.id, "builder")).id);
    const conversation = await builder.conversations.create({});
    await expect(builder.conversations.send({ id: conversation.id, content: "hello?" })).rejects.toMatchObject({ code: "SERVICE_UNAVAILABLE" });
    expect((await builder.conversations.get({ id: conversation.id })).messages).toEqual([]);
  });
});

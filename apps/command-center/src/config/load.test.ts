import { writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { baseConfig, baseSecrets, writeDeploy } from "../../test/fixtures";
import { hashPassword, verifyPassword } from "../auth/password";
import { ConfigError, loadConfig } from "./load";
import { commandCenterConfig } from "./schema";

const httpAgent = { id: "echo", name: "Echo", type: "http", adapter: "http" as const, config: { url: "http://127.0.0.1:9/agent" } };

function problemsOf(paths: { config: string; secrets: string }) {
  try {
    loadConfig(paths);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error("loadConfig accepted a broken file");
}

describe("loadConfig", () => {
  it("loads a good config and secrets file", async () => {
    const paths = writeDeploy(baseConfig([httpAgent]), await baseSecrets());
    const { config, secrets } = loadConfig(paths);
    expect(config.agents.map((a) => a.id)).toEqual(["echo"]);
    expect(config.tenants.map((t) => t.id)).toEqual(["acme", "globex"]);
    expect(secrets.users.map((u) => u.email)).toEqual(["alice@acme.test", "bob@globex.test"]);
  });

  it("lists every problem of both files with its JSON path", async () => {
    const config = baseConfig(
      [
        httpAgent,
        { id: "web", name: "Web", type: "http", adapter: "http", config: { url: "not a url", headers_secret: "web-token" } },
        { id: "echo", name: "Again", type: "x", adapter: "http", config: { url: "http://127.0.0.1:9" } },
        { id: "chat", name: "Chat", type: "claude-conversational", adapter: "nexus", config: {} },
        { id: "graph", name: "G", type: "kaygraph", adapter: "kaygraph", config: { definition: { version: 1, start: "a", nodes: [{ id: "a", type: "template", config: {} }], edges: [] } } },
      ],
      [{ id: "acme", name: "Acme", agents: ["echo", "missing"] }],
    );
    const secrets = await baseSecrets({ session_secret: "short" });
    const error = problemsOf(writeDeploy({ ...config, branding: { product_name: "", colors: { primary: "green" } } }, secrets));
    const lines = error.issues.map((i) => `${i.path}: ${i.message}`);
    expect(lines).toEqual(
      expect.arrayContaining([
        "branding.product_name: Too small: expected string to have >=1 characters",
        "branding.colors.primary: use a hex colour like #4f46e5",
        "agents[1].config.url: Invalid URL",
        'agents[2].id: agent id "echo" is used twice',
        expect.stringMatching(/^agents\[3\]\.config\.agent_type: /),
        'services.nexus_url: is required: agent "chat" runs through Nexus',
        expect.stringMatching(/^agents\[4\]\.config\.definition\.nodes\[0\]\.config\.text: /),
        'tenants[0].agents[1]: no agent with id "missing" in agents',
        "session_secret: must be at least 32 characters",
      ]),
    );
    expect(error.message).toContain("agents[1].config.url: Invalid URL");
    expect(error.message).toMatch(/cannot start: \d+ problems/);
  });

  it("cross-checks the secrets against the config: tenants of users, the Nexus key, named agent secrets", async () => {
    const config = {
      ...baseConfig([
        { ...httpAgent, config: { url: "http://127.0.0.1:9", headers_secret: "echo-token" } },
        { id: "chat", name: "Chat", type: "claude-conversational", adapter: "nexus" as const, config: { agent_type: "claude-conversational" } },
      ]),
      services: { nexus_url: "http://127.0.0.1:8000" },
    };
    const secrets = await baseSecrets();
    secrets.users[1]!.tenant = "initech";
    const error = problemsOf(writeDeploy(config, secrets));
    expect(error.issues.map((i) => `${i.path}: ${i.message}`)).toEqual([
      expect.stringMatching(/^users\[1\]\.tenant: no tenant "initech"/),
      expect.stringMatching(/^agents\[0\]\.config\.headers_secret: no secret "echo-token" in agent_secrets/),
      'nexus_api_key: is required: agent "chat" runs through Nexus',
    ]);
  });

  it("names a missing file and a file that is not JSON", async () => {
    const paths = writeDeploy({}, {});
    writeFileSync(paths.config, "{ not json");
    const error = problemsOf({ ...paths, secrets: `${paths.secrets}.missing` });
    expect(error.issues).toEqual([
      { file: paths.config, path: "", message: expect.stringMatching(/^is not valid JSON/) },
      { file: `${paths.secrets}.missing`, path: "", message: "file not found" },
    ]);
  });

  it("accepts the config the control plane generates (optional fields left undefined)", () => {
    const parsed = commandCenterConfig.safeParse({
      version: 1,
      branding: { product_name: "Acme", logo_url: "data:image/png;base64,iVBORw0KGgo=", colors: { primary: "#4f46e5", background: "#f6f7f9", text: "#16181d" } },
      services: { nexus_url: "http://10.0.0.5:8000" },
      agents: [{ id: "helper", name: "Helper", type: "claude-conversational", version: 3, adapter: "nexus", config: { agent_type: "claude-conversational", model: undefined, system: undefined, max_tokens: undefined } }],
      tenants: [{ id: "acme", name: "Acme", agents: ["helper"] }],
    });
    expect(parsed.error?.issues).toBeUndefined();
  });
});

describe("passwords", () => {
  it("hashes with scrypt in the documented format and verifies only the right password", async () => {
    const hash = await hashPassword("end-user-password");
    expect(hash).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(await verifyPassword(hash, "end-user-password")).toBe(true);
    expect(await verifyPassword(hash, "end-user-passwore")).toBe(false);
    expect(await verifyPassword("scrypt$99999999$8$1$AAAA$AAAA", "x")).toBe(false);
    expect(await verifyPassword("not-a-hash", "x")).toBe(false);
  });
});

import { expect, test } from "@playwright/test";
import { E2E } from "./ports";
import { demoBearer } from "./sign-in";

// The seed's control-plane checks, against the running platform.
test("GET /api/v1/health answers ok", async ({ request }) => {
  const res = await request.get("/api/v1/health");
  expect(res.status()).toBe(200);
  expect(await res.json()).toEqual({ status: "ok" });
});

test("POST /api/v1/auth/login returns a bearer token for the right password", async ({ request }) => {
  const res = await request.post("/api/v1/auth/login", { data: { email: E2E.demo.email, password: E2E.demo.password } });
  expect(res.status()).toBe(200);
  const body = (await res.json()) as { token: string; token_type: string };
  expect(body.token_type).toBe("Bearer");
  expect(body.token.split(".")).toHaveLength(3);
});

test("POST /api/v1/auth/login answers 401 with a clear message for a wrong password", async ({ request }) => {
  const res = await request.post("/api/v1/auth/login", { data: { email: E2E.demo.email, password: "wrong" } });
  expect(res.status()).toBe(401);
  expect(await res.json()).toEqual({ error: "invalid_credentials", message: "Wrong email or password" });
});

test("POST /api/v1/auth/login answers 400 naming the missing field", async ({ request }) => {
  const res = await request.post("/api/v1/auth/login", { data: { email: E2E.demo.email } });
  expect(res.status()).toBe(400);
  expect(await res.json()).toMatchObject({ error: "invalid_request", issues: [{ path: "password" }] });
});

test("the seed's agent-service health checks answer healthy", async ({ request }) => {
  for (const [port, service] of [
    [E2E.nexusPort, "nexus"],
    [E2E.smithPort, "smith"],
    [E2E.observerPort, "observer"],
  ] as const) {
    const res = await request.get(`http://127.0.0.1:${port}/health`);
    expect(await res.json()).toMatchObject({ status: "healthy", service });
  }
});

test("PATCH /api/v1/ssh_servers/:id changes SSH access without resending the key, and says when there is none to keep", async ({ request }) => {
  const headers = await demoBearer(request);
  const services = { nexus_url: "http://127.0.0.1:1", smith_url: "http://127.0.0.1:1", observer_url: "http://127.0.0.1:1", api_key: "kay_rest_patch_key_0123456789" };
  const key = "-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n";
  const withSsh = await request.post("/api/v1/ssh_servers", {
    headers,
    data: { name: "REST ssh box", ...services, ssh: { host: "vm.example.com", user: "deploy", private_key: key } },
  });
  expect(withSsh.status()).toBe(201);
  const { id } = (await withSsh.json()) as { id: string };
  const moved = await request.patch(`/api/v1/ssh_servers/${id}`, { headers, data: { ssh: { host: "vm2.example.com", port: 2222, user: "deploy" } } });
  expect(moved.status()).toBe(200);
  expect(await moved.json()).toMatchObject({ sshHost: "vm2.example.com", sshPort: 2222, sshUser: "deploy", sshHostKey: null });

  const without = await request.post("/api/v1/ssh_servers", { headers, data: { name: "REST plain box", ...services } });
  const plain = ((await without.json()) as { id: string }).id;
  const refused = await request.patch(`/api/v1/ssh_servers/${plain}`, { headers, data: { ssh: { host: "vm.example.com", user: "deploy" } } });
  expect(refused.status()).toBe(400);
  expect(((await refused.json()) as { message: string }).message).toContain("Paste the SSH private key: this server has none stored yet");

  for (const server of [id, plain]) expect((await request.delete(`/api/v1/ssh_servers/${server}`, { headers })).status()).toBe(200);
  expect((await request.get("/api/v1/ssh_servers", { headers }).then((r) => r.json())) as { id: string }[]).not.toContainEqual(expect.objectContaining({ id }));
});

test("POST /api/v1/agents/execute: a REST client polls its run and follows its stream with the same bearer", async ({ request }) => {
  const headers = await demoBearer(request);
  const started = await request.post("/api/v1/agents/execute", { headers, data: { agent_type: "claude-conversational", prompt: "Hello over REST" } });
  expect(started.status()).toBe(201);
  const run = (await started.json()) as { id: string; run_url: string; stream_url: string };
  // The stream answers the bearer (it took only the browser's session cookie) and ends with the run.
  const stream = await request.get(run.stream_url, { headers });
  expect(stream.status()).toBe(200);
  expect(await stream.text()).toContain("event: done");
  const polled = await request.get(run.run_url, { headers });
  expect(polled.status()).toBe(200);
  expect(await polled.json()).toMatchObject({ id: run.id, status: "succeeded" });
  expect((await request.get(run.run_url)).status()).toBe(401);
  expect((await request.get("/api/v1/runs/run_nope", { headers })).status()).toBe(404);
  // A wrong agent type is named with the ones there are (it said "(body): Invalid input").
  const wrong = await request.post("/api/v1/agents/execute", { headers, data: { agent_type: "nope", prompt: "x" } });
  expect(wrong.status()).toBe(400);
  expect(((await wrong.json()) as { message: string }).message).toMatch(/^agent_type: Invalid option: expected one of "claude-conversational"\|/);
});

test("POST /api/v1/runs/:id/answer: a REST client answers what a planner's run asks, and the run goes on", async ({ request }) => {
  const headers = await demoBearer(request);
  const started = await request.post("/api/v1/agents/execute", { headers, data: { agent_type: "complete-planner", prompt: "Paint the fence (ask me first)" } });
  expect(started.status()).toBe(201);
  const run = (await started.json()) as { run_url: string };
  const poll = async () => (await (await request.get(run.run_url, { headers })).json()) as { status: string; waitingFor: unknown };
  await expect.poll(async () => (await poll()).waitingFor, { timeout: 30_000 }).toEqual({ node_id: "ask", question: "Which color should the fence be?" });
  const blank = await request.post(`${run.run_url}/answer`, { headers, data: { answer: "  " } });
  expect(blank.status()).toBe(400);
  expect(((await blank.json()) as { message: string }).message).toBe("answer: Write an answer for the agent");
  expect((await request.post(`${run.run_url}/answer`, { data: { answer: "teal" } })).status()).toBe(401);
  const answered = await request.post(`${run.run_url}/answer`, { headers, data: { answer: "teal" } });
  expect(answered.status()).toBe(200);
  await expect.poll(async () => (await poll()).status, { timeout: 30_000 }).toBe("succeeded");
  expect((await poll()).waitingFor).toBeNull();
  // Once the run ended there is nothing to answer.
  const late = await request.post(`${run.run_url}/answer`, { headers, data: { answer: "red" } });
  expect(late.status()).toBe(409);
  expect(((await late.json()) as { message: string }).message).toContain("already");
});

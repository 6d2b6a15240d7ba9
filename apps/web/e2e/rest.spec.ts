import { expect, test } from "@playwright/test";
import { E2E } from "./ports";

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

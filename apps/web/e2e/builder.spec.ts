import { expect, test } from "@playwright/test";
import { E2E } from "./ports";
import { signIn } from "./sign-in";

test.describe.configure({ mode: "serial" });

test("a builder creates an agent, publishes versions and restores an old one as the draft", async ({ page }, info) => {
  await signIn(page, E2E.demo.email, E2E.demo.password);
  await page.getByRole("link", { name: "Agents" }).click();
  await expect(page.getByText("No agents yet.")).toBeVisible();
  await page.getByLabel("Name", { exact: true }).fill("Support bot");
  await page.getByLabel("System prompt").fill("Answer briefly.");
  await page.getByRole("button", { name: "Create agent" }).click();

  await expect(page.getByRole("heading", { name: "Support bot" })).toBeVisible();
  await expect(page.getByText("No published versions yet.")).toBeVisible();
  await page.getByRole("button", { name: "Publish new version" }).click();
  await expect(page.getByText("Published version 1.")).toBeVisible();
  // The form re-reads the agent after publishing: type only once that has landed.
  await expect(page.getByTestId("version-1")).toBeVisible();
  await expect(page.getByLabel("System prompt")).toHaveValue("Answer briefly.");

  await page.getByLabel("System prompt").fill("Answer in detail.");
  await page.getByRole("button", { name: "Save draft" }).click();
  await expect(page.getByText("Draft saved.")).toBeVisible();
  await page.getByRole("button", { name: "Publish new version" }).click();
  await expect(page.getByText("Published version 2.")).toBeVisible();
  await page.getByRole("button", { name: "Publish new version" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Nothing changed since version 2" })).toBeVisible();

  await page.getByTestId("version-1").getByRole("button", { name: "Restore as draft" }).click();
  await expect(page.getByText("Version 1 restored as the draft")).toBeVisible();
  await expect(page.getByRole("alert").filter({ hasText: "Nothing changed" })).toHaveCount(0);
  await expect(page.getByLabel("System prompt")).toHaveValue("Answer briefly.");
  await expect(page.getByTestId("version-2")).toContainText("Answer in detail.");
  await page.screenshot({ path: info.outputPath("agent-detail.png"), fullPage: true });
  await page.goto("/agents");
  await expect(page.getByRole("link", { name: "Support bot" })).toBeVisible();
  await page.screenshot({ path: info.outputPath("agents.png"), fullPage: true });
});

test("an API token made in the UI works on the REST API within its scopes", async ({ page, request }, info) => {
  await signIn(page, E2E.demo.email, E2E.demo.password);
  await page.goto("/api-tokens");
  await page.getByLabel("Name").fill("ci reader");
  await page.getByRole("button", { name: "Create token" }).click();
  const token = (await page.getByTestId("new-token").textContent())?.trim() ?? "";
  expect(token).toMatch(/^kat_/);
  await page.screenshot({ path: info.outputPath("api-tokens.png"), fullPage: true });

  const auth = { authorization: `Bearer ${token}` };
  const agents = await request.get("/api/v1/agents", { headers: auth });
  expect(agents.status()).toBe(200);
  expect(((await agents.json()) as { name: string }[]).map((a) => a.name)).toContain("Support bot");

  const create = await request.post("/api/v1/ssh_servers", {
    headers: auth,
    data: { name: "x", nexus_url: "http://127.0.0.1:1", smith_url: "http://127.0.0.1:1", observer_url: "http://127.0.0.1:1", api_key: "kay_0123456789abcdef" },
  });
  expect(create.status()).toBe(403);
  expect(await create.json()).toEqual({ error: "forbidden", message: 'This API token lacks the "write" scope' });

  await page.getByRole("button", { name: "Revoke" }).first().click();
  await expect(page.getByText("revoked").first()).toBeVisible();
  expect((await request.get("/api/v1/agents", { headers: auth })).status()).toBe(401);
});

test("a viewer sees agents but cannot edit them, and the UI says why", async ({ page }) => {
  await signIn(page, E2E.viewer.email, E2E.viewer.password);
  await page.goto("/agents");
  await page.getByRole("link", { name: "Support bot" }).click();
  await page.getByLabel("Description").fill("viewer was here");
  await page.getByRole("button", { name: "Save draft" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Your role (viewer) may not edit this agent" })).toBeVisible();
});

test("every builder page renders at 1280x800 for the owner", async ({ page }, info) => {
  await signIn(page, E2E.demo.email, E2E.demo.password);
  for (const [path, heading] of [
    ["/servers", "Servers"],
    ["/members", "Members"],
    ["/audit", "Audit log"],
  ] as const) {
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1, name: heading })).toBeVisible();
    await expect(page.getByRole("status").filter({ hasText: "Loading" })).toHaveCount(0);
    await page.screenshot({ path: info.outputPath(`${path.slice(1)}.png`), fullPage: true });
  }
  await expect(page.getByText("agents.publish")).toHaveCount(2);
});

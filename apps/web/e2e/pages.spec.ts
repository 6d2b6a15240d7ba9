// The organization pages not covered by a flow above, each with what a builder checks there.
import { expect, test } from "@playwright/test";
import { E2E } from "./ports";
import { signIn } from "./sign-in";

test("sign-in page", async ({ page }, info) => {
  await page.goto("/sign-in");
  await expect(page.getByRole("heading", { name: "Sign in to KayOS" })).toBeVisible();
  await page.screenshot({ path: info.outputPath("sign-in.png"), fullPage: true });
});

test("servers: testing the demo server reaches its three agent services over HTTP and the machine over SSH", async ({ page }, info) => {
  await signIn(page, E2E.demo.email, E2E.demo.password);
  await page.goto("/servers");
  const row = page.getByTestId("server-Local agent services");
  await row.getByRole("button", { name: "Test connection" }).click();
  const results = row.getByRole("list", { name: "Connection test results" });
  for (const service of ["nexus", "smith", "observer"]) {
    await expect(results.getByRole("listitem").filter({ hasText: `${service}:` })).toContainText(/healthy .*v\d+\.\d+\.\d+, \d+ ms/);
  }
  await expect(results).toContainText(/SSH: Connected as \w+/);
  await page.screenshot({ path: info.outputPath("servers.png"), fullPage: true });
});

test("members list the organization's people and roles; the audit log names who changed what", async ({ page }, info) => {
  await signIn(page, E2E.demo.email, E2E.demo.password);
  await page.goto("/members");
  await expect(page.getByRole("row").filter({ hasText: E2E.demo.email }).getByRole("combobox")).toHaveValue("owner");
  await expect(page.getByRole("row").filter({ hasText: E2E.viewer.email }).getByRole("combobox")).toHaveValue("viewer");
  const invite = page.getByRole("region", { name: "Invite" });
  await invite.getByLabel("Email").fill("new-builder@example.test");
  await invite.getByRole("button", { name: "Invite" }).click();
  await expect(invite.getByRole("status")).toContainText("Send new-builder@example.test this invitation code");
  await page.screenshot({ path: info.outputPath("members.png"), fullPage: true });

  await page.goto("/audit");
  const events = page.getByRole("region", { name: "Audit events" });
  // Newest first: the invitation just sent, by whom, with the invitee (and never the code).
  const latest = events.getByRole("row").nth(1);
  await expect(latest).toContainText(E2E.demo.email);
  await expect(latest).toContainText("new-builder@example.test");
  await expect(latest).not.toContainText("kinv_");
  await page.screenshot({ path: info.outputPath("audit.png"), fullPage: true });
});

test("an unknown run says it was not found, and the page stops asking for it", async ({ page }) => {
  await signIn(page, E2E.demo.email, E2E.demo.password);
  let asks = 0;
  page.on("request", (r) => {
    if (r.url().includes("runs.get")) asks++;
  });
  await page.goto("/runs/run-that-does-not-exist");
  await expect(page.getByRole("alert").filter({ hasText: "Could not load this" })).toContainText("No run run-that-does-not-exist");
  const seen = asks;
  await page.waitForTimeout(5_000);
  // Polling every 2 s would have asked again twice by now.
  expect(asks).toBe(seen);
});

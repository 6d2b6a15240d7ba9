// What a builder sees when a form is filled wrong: a sentence naming the field and saying what to do,
// never zod's raw text; a publish after unsaved edits publishes them; Command Center settings that
// could not be deployed are refused on save.
import { expect, test, type Page } from "@playwright/test";
import { E2E } from "./ports";
import { demoBearer, signIn } from "./sign-in";

test.describe.configure({ mode: "serial" });

const RAW = /too_small|too_big|Invalid input|expected (string|number)|"origin"/;
const created: string[] = [];

async function createAgent(page: Page, name: string, type: string, workspace: string) {
  await page.goto("/agents");
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByLabel("Type").selectOption(type);
  await page.getByLabel(/^Workspace/).fill(workspace);
  await page.getByRole("button", { name: "Create agent" }).click();
  await expect(page.getByRole("heading", { name })).toBeVisible();
  created.push(new URL(page.url()).pathname.split("/").pop()!);
}

// The agents made here would otherwise show up in later specs' lists.
test.afterAll(async ({ request }) => {
  const headers = await demoBearer(request);
  for (const id of created) expect((await request.delete(`/api/v1/agents/${id}`, { headers })).status()).toBe(200);
});

test("the new-agent form names each wrong field: an empty workspace, a description over its limit", async ({ page }, info) => {
  await signIn(page, E2E.demo.email, E2E.demo.password);
  await page.goto("/agents");
  await page.getByLabel("Name", { exact: true }).fill("Form errors coder");
  await page.getByLabel("Type").selectOption("claude_code");
  await page.getByLabel("Description").fill("x".repeat(5000));
  await expect(page.getByText("5,000 / 2,000 characters (3,000 too many)")).toBeVisible();
  await page.getByRole("button", { name: "Create agent" }).click();
  await expect(page.getByText("Description must be at most 2,000 characters")).toBeVisible();
  await expect(page.getByText("Workspace is required: name a folder under the server's workspace root")).toBeVisible();
  await expect(page.getByText(RAW)).toHaveCount(0);
  await page.screenshot({ path: info.outputPath("new-agent-errors.png"), fullPage: true });

  await page.getByLabel("Description").fill("Writes code.");
  await page.getByLabel(/^Workspace/).fill("form-errors");
  await page.getByRole("button", { name: "Create agent" }).click();
  await expect(page.getByRole("heading", { name: "Form errors coder" })).toBeVisible();
  created.push(new URL(page.url()).pathname.split("/").pop()!);

  // On the agent page, a cleared name is named too, and nothing raw reaches the alert.
  await page.getByLabel("Name", { exact: true }).fill("");
  await page.getByRole("button", { name: "Save draft" }).click();
  await expect(page.getByText("Name is required: give the agent a name")).toBeVisible();
  await expect(page.getByText(RAW)).toHaveCount(0);
});

test("publishing with unsaved edits saves and publishes them; leaving with unsaved edits warns", async ({ page }, info) => {
  await signIn(page, E2E.demo.email, E2E.demo.password);
  await createAgent(page, "Form errors shell", "shell", "first");
  await page.getByRole("button", { name: "Publish new version" }).click();
  await expect(page.getByText("Published version 1.")).toBeVisible();
  // The form re-reads the agent after publishing: type only once that has landed.
  await expect(page.getByTestId("version-1")).toBeVisible();

  await page.getByLabel(/^Workspace/).fill("second");
  await page.getByLabel(/^Command/).fill("make test");
  await expect(page.getByText("Unsaved edits: publishing saves them first.")).toBeVisible();

  // A reload asks first (dismissed: the edits stay), and so does an in-app link.
  const unload = page.waitForEvent("dialog");
  void page.evaluate(() => window.location.reload());
  const beforeUnload = await unload;
  expect(beforeUnload.type()).toBe("beforeunload");
  await beforeUnload.dismiss();
  const leave = page.waitForEvent("dialog");
  void page.getByRole("link", { name: "Agents", exact: true }).first().click();
  const confirm = await leave;
  expect(confirm.message()).toBe("You have unsaved edits. Leave this page and lose them?");
  await confirm.dismiss();
  await expect(page.getByLabel(/^Workspace/)).toHaveValue("second");

  await page.getByRole("button", { name: "Publish new version" }).click();
  await expect(page.getByText("Draft saved. Published version 2.")).toBeVisible();
  await expect(page.getByTestId("version-2")).toContainText('"workspace":"second"');
  await expect(page.getByTestId("version-2")).toContainText('"command":"make test"');
  await expect(page.getByText("Unsaved edits")).toHaveCount(0);
  await page.screenshot({ path: info.outputPath("published-unsaved-edits.png"), fullPage: true });

  // Nothing unsaved now: a reload asks nothing and shows what was published.
  const asked: string[] = [];
  page.on("dialog", (d) => void (asked.push(d.type()), d.accept()));
  await page.reload();
  await expect(page.getByLabel(/^Workspace/)).toHaveValue("second");
  expect(asked).toEqual([]);
});

test("an API token with a wrong expiry or a long name says what to fix", async ({ page }, info) => {
  await signIn(page, E2E.demo.email, E2E.demo.password);
  await page.goto("/api-tokens");
  const form = page.getByRole("region", { name: "New token" });
  await form.getByLabel("Name").fill("x".repeat(81));
  await form.getByLabel("Expires in (days)").fill("abc");
  await form.getByRole("button", { name: "Create token" }).click();
  await expect(form.getByText("Name must be at most 80 characters")).toBeVisible();
  await expect(form.getByText("Expiry must be a whole number of days from 1 to 365")).toBeVisible();
  await form.getByLabel("Expires in (days)").fill("400");
  await form.getByRole("button", { name: "Create token" }).click();
  await expect(form.getByText("Expiry must be a whole number of days from 1 to 365")).toBeVisible();
  await expect(page.getByText(RAW)).toHaveCount(0);
  await expect(page.getByTestId("new-token")).toHaveCount(0);
  await page.screenshot({ path: info.outputPath("api-token-errors.png"), fullPage: true });
});

test("the Command Center refuses a logo URL it could not deploy and does not offer terminal agents", async ({ page }, info) => {
  await signIn(page, E2E.demo.email, E2E.demo.password);
  await page.goto("/command-center");
  // "Form errors shell" (published above) runs in a terminal: end users cannot be given it.
  await expect(page.getByRole("heading", { name: "Agents offered" })).toBeVisible();
  await expect(page.getByLabel("Offer Form errors shell")).toHaveCount(0);

  await page.getByLabel("Logo URL (optional)").fill("javascript:alert(1)");
  await page.getByRole("button", { name: "Save settings" }).click();
  const refused = "Logo URL must be an http(s) address like https://example.com/logo.png (or a data:image/…;base64 URL)";
  // Beside the field, and again beside the Save button.
  await expect(page.locator("label").filter({ hasText: "Logo URL (optional)" })).toContainText(refused);
  await expect(page.getByRole("alert").filter({ hasText: refused })).toBeVisible();
  await expect(page.getByRole("status").filter({ hasText: "Saved." })).toHaveCount(0);
  await page.screenshot({ path: info.outputPath("command-center-logo-refused.png"), fullPage: true });
});

// A builder customizes the Command Center and deploys it over SSH (to a real sshd on this machine);
// end users of two tenants then use the deployed app in the browser.
import { expect, test, type Page } from "@playwright/test";
import { E2E } from "./ports";
import { signIn } from "./sign-in";

test.describe.configure({ mode: "serial" });

const ANN = { email: "ann@acme.test", name: "Ann Acme", password: "ann-password-123" };
const BOB = { email: "bob@globex.test", name: "Bob Globex", password: "bob-password-123" };
let annRunPath = "";

async function addTenant(page: Page, index: number, id: string, name: string, agents: string[]) {
  await page.getByRole("button", { name: "Add tenant" }).click();
  const tenant = page.getByRole("group", { name: `Tenant ${index + 1}`, exact: true });
  await tenant.getByLabel("Tenant id").fill(id);
  await tenant.getByLabel("Tenant name").fill(name);
  for (const agent of agents) await tenant.getByRole("group", { name: `Agents of tenant ${index + 1}` }).getByLabel(agent).check();
}

async function createPublished(page: Page, name: string, type: string, field: string, value: string) {
  await page.goto("/agents");
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByLabel("Type").selectOption(type);
  await page.getByLabel(field).fill(value);
  await page.getByRole("button", { name: "Create agent" }).click();
  await page.getByRole("button", { name: "Publish new version" }).click();
  await expect(page.getByText("Published version 1.")).toBeVisible();
}

async function addEndUser(page: Page, user: typeof ANN, tenant: string) {
  const form = page.getByRole("form", { name: "Add or update an end user" });
  await form.getByLabel("End user email").fill(user.email);
  await form.getByLabel("End user name").fill(user.name);
  await form.getByLabel("Tenant").selectOption({ label: tenant });
  await form.getByLabel("Initial password").fill(user.password);
  await form.getByRole("button", { name: "Save end user" }).click();
  await expect(page.getByRole("cell", { name: user.email, exact: true })).toBeVisible();
}

async function signInToCommandCenter(page: Page, user: typeof ANN) {
  await page.goto(E2E.commandCenter.url);
  await expect(page.getByRole("heading", { name: "Sign in to Acme Concierge" })).toBeVisible();
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("navigation", { name: "Main" })).toContainText(user.name);
}

test("a builder customizes the Command Center and deploys it, watching each step", async ({ page }, info) => {
  await signIn(page, E2E.demo.email, E2E.demo.password);
  // A planner too: its plans may ask the end user a question (global-setup scripts one for "ask me first").
  await createPublished(page, "Fence painter", "complete-planner", "Planning instructions", "Plan briefly.");
  await createPublished(page, "Concierge", "claude-conversational", "System prompt", "Help the customer politely.");

  await page.getByRole("link", { name: "Command Center" }).click();
  await expect(page.getByText("Nothing deployed yet.")).toBeVisible();
  await page.getByLabel("Product name").fill("Acme Concierge");
  await page.getByLabel("Offer Concierge").check();
  await page.getByLabel("Offer Fence painter").check();
  await addTenant(page, 0, "acme", "Acme Inc.", ["Concierge", "Fence painter"]);
  await addTenant(page, 1, "globex", "Globex", ["Concierge"]);
  await page.getByLabel("Folder on the server").fill(E2E.commandCenter.root);
  await page.getByLabel("Port", { exact: true }).fill(new URL(E2E.commandCenter.url).port);
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved." })).toBeVisible();

  await addEndUser(page, ANN, "Acme Inc.");
  await addEndUser(page, BOB, "Globex");

  await page.getByRole("button", { name: "Preview config/agents.json" }).click();
  const preview = page.getByTestId("config-preview");
  await expect(preview).toContainText('"product_name": "Acme Concierge"');
  await expect(preview).toContainText('"adapter": "nexus"');
  await expect(preview).not.toContainText("password");

  await page.getByRole("button", { name: "Deploy", exact: true }).click();
  const progress = page.getByTestId("deploy-progress");
  // Steps appear while the deployment runs, then it ends healthy.
  await expect(progress.getByText(/^connect$/)).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId("deploy-status")).toHaveText("succeeded", { timeout: 90_000 });
  await expect(progress).toContainText("Health check passed");
  await expect(progress).toContainText("is live");
  const history = page.getByTestId("deployments");
  await expect(history).toContainText("Concierge v1");
  await expect(history).toContainText("by Demo Owner");

  // A second deploy goes live; the first can then be brought back by hand from the history.
  await page.getByRole("button", { name: "Deploy", exact: true }).click();
  await expect(page.getByTestId("deploy-status")).toHaveText("running");
  await expect(page.getByTestId("deploy-status")).toHaveText("succeeded", { timeout: 90_000 });
  await expect(history.getByRole("row")).toHaveCount(3);
  await history.getByRole("button", { name: "Roll back to this release" }).click();
  await expect(page.getByTestId("deploy-status")).toHaveText("running");
  await expect(page.getByTestId("deploy-status")).toHaveText("succeeded", { timeout: 90_000 });
  await expect(progress).toContainText("rollback");
  await expect(history.getByRole("row").nth(1)).toContainText("live");
  await expect(history.getByRole("row").nth(3)).toContainText("live");
  await page.screenshot({ path: info.outputPath("command-center-deployed.png"), fullPage: true });
});

test("an end user of the deployed Command Center runs an agent and sees its output stream in", async ({ page }, info) => {
  await signInToCommandCenter(page, ANN);
  await expect(page.getByRole("heading", { name: "Agents" })).toBeVisible();
  await page.getByRole("link", { name: "Concierge", exact: true }).click();
  await page.getByLabel("Your request").fill("Where is my order #1234?");
  await page.getByRole("button", { name: "Run" }).click();
  const output = page.getByRole("region", { name: /Output/ });
  await expect(output).toContainText("[offline]", { timeout: 30_000 });
  await expect(output).toContainText("Where is my order #1234?");
  await expect(output.getByRole("status")).toHaveText("Done", { timeout: 30_000 });
  await page.screenshot({ path: info.outputPath("command-center-run.png"), fullPage: true });

  await page.getByRole("link", { name: "My history" }).click();
  await expect(page.getByRole("cell", { name: "Where is my order #1234?" })).toBeVisible();
  await page.getByRole("row", { name: /Where is my order/ }).getByRole("link").click();
  await expect(page.getByRole("heading", { name: "Concierge", exact: true })).toBeVisible();
  annRunPath = new URL(page.url()).pathname;
  expect(annRunPath).toMatch(/^\/runs\/.+/);
});

test("an end user answers what a planner's run asks, and the run goes on to its end", async ({ page }, info) => {
  await signInToCommandCenter(page, ANN);
  await page.getByRole("link", { name: "Fence painter", exact: true }).click();
  await page.getByLabel("Your request").fill("Paint the fence (ask me first)");
  await page.getByRole("button", { name: "Run" }).click();
  const question = page.getByRole("form", { name: "The agent asks you" });
  await expect(question).toContainText("Which color should the fence be?", { timeout: 30_000 });
  const output = page.getByRole("region", { name: /Output/ });
  await expect(output.getByRole("status")).not.toHaveText("Done");
  await page.screenshot({ path: info.outputPath("command-center-question.png"), fullPage: true });
  await question.getByLabel("Your answer").fill("teal");
  await question.getByRole("button", { name: "Send answer" }).click();
  await expect(output.getByRole("status")).toHaveText("Done", { timeout: 30_000 });
  await expect(question).toHaveCount(0);
});

test("a user of another tenant sees none of it", async ({ page }) => {
  expect(annRunPath).not.toBe("");
  await signInToCommandCenter(page, BOB);
  await page.getByRole("link", { name: "My history" }).click();
  await expect(page.getByText("You have not run any agent yet.")).toBeVisible();
  await page.goto(`${E2E.commandCenter.url}${annRunPath}`);
  await expect(page.getByRole("alert")).toBeVisible();
  await expect(page.getByText("Where is my order #1234?")).toHaveCount(0);
});

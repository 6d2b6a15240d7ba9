// Editing a server on the Servers page, and the words a builder sees when a field is wrong.
import { expect, test } from "@playwright/test";
import { E2E } from "./ports";
import { signIn } from "./sign-in";

const URL_LABELS = ["KayNexus URL", "KaySmith URL", "CodingObserver URL"];

test("servers: a builder edits a server's name and URL; an empty name says what to enter", async ({ page }, info) => {
  await signIn(page, E2E.demo.email, E2E.demo.password);
  await page.goto("/servers");
  // A server of its own: the demo server is what the other specs test and deploy to.
  const add = page.getByRole("region", { name: "Add a server" });
  await add.getByLabel("Name", { exact: true }).fill("Staging box");
  for (const label of URL_LABELS) await add.getByLabel(label).fill("http://127.0.0.1:1");
  await add.getByLabel("Agent services API key").fill("kay_e2e_staging_key_0123456789");
  await add.getByRole("button", { name: "Add server" }).click();
  const row = page.getByTestId("server-Staging box");
  await expect(row).toContainText("http://127.0.0.1:1");

  await row.getByRole("button", { name: "Edit" }).click();
  const edit = page.getByRole("region", { name: "Edit Staging box" });
  const name = edit.getByLabel("Name", { exact: true });
  await expect(name).toHaveValue("Staging box");
  await expect(edit.getByLabel("KayNexus URL")).toHaveValue("http://127.0.0.1:1");
  // The stored key never comes back to the browser: empty means "keep it", and the form says so.
  await expect(edit.getByLabel("Agent services API key")).toHaveValue("");
  await expect(edit.getByText("Leave empty to keep the stored key").first()).toBeVisible();

  await name.fill("");
  await edit.getByRole("button", { name: "Save changes" }).click();
  await expect(name).toHaveAccessibleDescription("Give the server a name");
  await expect(page.getByText("Invalid input")).toHaveCount(0);
  await page.screenshot({ path: info.outputPath("servers-edit-empty-name.png"), fullPage: true });

  await name.fill("Production box");
  await edit.getByLabel("KayNexus URL").fill("http://127.0.0.1:2");
  await edit.getByRole("button", { name: "Save changes" }).click();
  await expect(
    page.getByRole("status").filter({ hasText: 'Saved "Production box": name and KayNexus URL.' }),
  ).toBeVisible();
  const renamed = page.getByTestId("server-Production box");
  await expect(renamed).toContainText("http://127.0.0.1:2");
  await expect(page.getByTestId("server-Staging box")).toHaveCount(0);
  await page.screenshot({ path: info.outputPath("servers-edited.png"), fullPage: true });

  // Saved on the server, not only in the page.
  await page.reload();
  await expect(renamed).toContainText("http://127.0.0.1:2");
  // It becomes the default (one at a time); removing it hands that back to the oldest server.
  await renamed.getByRole("button", { name: "Make default" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Production box is the default server" })).toBeVisible();
  await expect(renamed).toContainText("default");
  await expect(page.getByText("default", { exact: true })).toHaveCount(1);
  page.once("dialog", (dialog) => void dialog.accept());
  await renamed.getByRole("button", { name: "Remove" }).click();
  await expect(renamed).toHaveCount(0);
  await expect(page.getByText("default", { exact: true })).toHaveCount(1);
});

test("servers: adding a server with wrong fields names each problem in words", async ({ page }) => {
  await signIn(page, E2E.demo.email, E2E.demo.password);
  await page.goto("/servers");
  const add = page.getByRole("region", { name: "Add a server" });
  await add.getByLabel("Host", { exact: true }).fill("bad host name!");
  await add.getByLabel("Port", { exact: true }).fill("99999");
  await add.getByRole("button", { name: "Add server" }).click();
  await expect(add.getByLabel("Name", { exact: true })).toHaveAccessibleDescription("Give the server a name");
  await expect(add.getByLabel("Agent services API key")).toHaveAccessibleDescription(
    /Paste the agent services' API key \(16 characters or more\)/,
  );
  await expect(add.getByLabel("Host", { exact: true })).toHaveAccessibleDescription(/Enter a host name or IP address/);
  await expect(add.getByLabel("Port", { exact: true })).toHaveAccessibleDescription(
    "Enter a port number from 1 to 65535 (SSH usually listens on 22)",
  );
  await expect(page.getByText("Invalid input")).toHaveCount(0);
});

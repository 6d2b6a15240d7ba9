// Invitations end to end: the owner invites by email, the invitee opens the shared link in another
// browser, creates an account there and lands signed in, in the organization, with the invited role.
import { expect, test, type Page } from "@playwright/test";
import { E2E } from "./ports";
import { signIn } from "./sign-in";

test.describe.configure({ mode: "serial" });

// Contexts made by hand do not inherit the config's `use` options: give them the same origin and size.
const guestOptions = { baseURL: E2E.webUrl, viewport: { width: 1280, height: 800 } };
const invitee = { email: `invitee-${Date.now()}@example.test`, name: "Ivy Invitee", password: "ivy-e2e-password" };

/** Invites from the Members page and returns the shareable link shown once. */
async function invite(page: Page, email: string, role: string) {
  await page.goto("/members");
  const region = page.getByRole("region", { name: "Invite" });
  await region.getByLabel("Email").fill(email);
  await region.getByLabel("Role").selectOption(role);
  await region.getByRole("button", { name: "Invite" }).click();
  await expect(region.getByRole("status")).toContainText(`Send ${email} this invitation code or the link below`);
  const link = (await region.getByTestId("invitation-link").textContent())?.trim() ?? "";
  expect(link).toMatch(new RegExp(`^${E2E.webUrl}/invite\\?code=kinv_`));
  await expect(region.getByTestId("invitation-code")).toHaveText(new URL(link).searchParams.get("code") ?? "");
  return link;
}

test("an invitee without an account joins from the shared link and lands signed in, in the organization", async ({
  page,
  browser,
}, info) => {
  await signIn(page, E2E.demo.email, E2E.demo.password);
  const link = await invite(page, invitee.email, "builder");
  await page.screenshot({ path: info.outputPath("members-invited.png"), fullPage: true });

  // The invitee uses another browser: no session, no organization cookie.
  const context = await browser.newContext(guestOptions);
  const guest = await context.newPage();
  await guest.goto(link);
  await expect(guest.getByRole("heading", { name: "Join Demo Organization" })).toBeVisible();
  await expect(guest.getByTestId("invitation-summary")).toContainText(
    `Demo Owner invited ${invitee.email} to join Demo Organization as builder`,
  );
  await expect(guest.getByLabel("Email")).toHaveValue(invitee.email);
  await guest.getByLabel("Password").fill("short");
  await guest.getByRole("button", { name: "Create account and join Demo Organization" }).click();
  await expect(guest.getByText("Enter your name")).toBeVisible();
  await expect(guest.getByText("Use at least 10 characters")).toBeVisible();

  await guest.getByLabel("Your name").fill(invitee.name);
  await guest.getByLabel("Password").fill(invitee.password);
  await guest.getByRole("button", { name: "Create account and join Demo Organization" }).click();
  await expect(guest).toHaveURL(`${E2E.webUrl}/`);
  await expect(guest.getByRole("heading", { name: "Overview" })).toBeVisible();
  await expect(guest.getByTestId("signed-in-as")).toHaveText(invitee.email);
  await expect(guest.getByTestId("org-name")).toHaveText("Demo Organization");
  await guest.screenshot({ path: info.outputPath("invitee-overview.png"), fullPage: true });

  await guest.goto("/members");
  await expect(guest.getByRole("row").filter({ hasText: invitee.email }).getByRole("combobox")).toHaveValue("builder");
  await guest.screenshot({ path: info.outputPath("invitee-members.png"), fullPage: true });

  // The owner sees the new member with the invited role, and the invitation is no longer open.
  await page.goto("/members");
  const row = page.getByRole("row").filter({ hasText: invitee.email });
  await expect(row).toContainText(invitee.name);
  await expect(row.getByRole("combobox")).toHaveValue("builder");
  await expect(page.getByRole("listitem").filter({ hasText: invitee.email })).toHaveCount(0);

  // The link is spent: opening it again says so and what to do.
  await guest.goto(link);
  await expect(guest.getByRole("heading", { name: "This invitation cannot be used" })).toBeVisible();
  await expect(guest.getByRole("alert").filter({ hasText: /\S/ })).toContainText(
    "This invitation has already been used",
  );
  await context.close();
});

test("a revoked invitation tells the invitee to ask for a new one and creates no account", async ({
  page,
  browser,
}, info) => {
  await signIn(page, E2E.demo.email, E2E.demo.password);
  const email = `revoked-${Date.now()}@example.test`;
  const link = await invite(page, email, "viewer");
  const open = page.getByRole("listitem").filter({ hasText: email });
  await open.getByRole("button", { name: "Revoke" }).click();
  await expect(open).toHaveCount(0);

  const context = await browser.newContext(guestOptions);
  const guest = await context.newPage();
  await guest.goto(link);
  await expect(guest.getByRole("heading", { name: "This invitation cannot be used" })).toBeVisible();
  await expect(guest.getByRole("alert").filter({ hasText: /\S/ })).toHaveText(
    "This invitation was withdrawn. Ask whoever invited you for a new invitation.",
  );
  await expect(guest.getByLabel("Password")).toHaveCount(0);
  await guest.screenshot({ path: info.outputPath("invite-revoked.png"), fullPage: true });
  await context.close();
});

test("a signed-in invitee accepts with one click after signing in from the invite page", async ({ page, browser }) => {
  // The first test's invitee leaves the organization and is invited back as a viewer.
  await signIn(page, E2E.demo.email, E2E.demo.password);
  await page.goto("/members");
  page.once("dialog", (dialog) => void dialog.accept());
  await page.getByRole("row").filter({ hasText: invitee.email }).getByRole("button", { name: "Remove" }).click();
  await expect(page.getByRole("row").filter({ hasText: invitee.email })).toHaveCount(0);
  const link = await invite(page, invitee.email, "viewer");

  const context = await browser.newContext(guestOptions);
  const guest = await context.newPage();
  await guest.goto(link);
  await guest.getByRole("button", { name: "Sign in to accept" }).click();
  await expect(guest).toHaveURL(/\/sign-in\?callbackUrl=/);
  await guest.getByLabel("Email").fill(invitee.email);
  await guest.getByLabel("Password").fill(invitee.password);
  await guest.getByRole("button", { name: "Sign in" }).click();
  await expect(guest).toHaveURL(/\/invite\?code=kinv_/);
  await guest.getByRole("button", { name: "Accept and join Demo Organization" }).click();
  await expect(guest).toHaveURL(`${E2E.webUrl}/`);
  await expect(guest.getByTestId("org-name")).toHaveText("Demo Organization");
  await guest.goto("/members");
  await expect(guest.getByRole("row").filter({ hasText: invitee.email }).getByRole("combobox")).toHaveValue("viewer");
  await context.close();
});

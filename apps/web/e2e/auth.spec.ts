import { expect, test } from "@playwright/test";
import { E2E } from "./ports";

import { signIn } from "./sign-in";

test("a signed-out user is sent to sign-in", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/sign-in$/);
  await expect(page.getByRole("heading", { name: "Sign in to KayOS" })).toBeVisible();
});

test("a wrong password shows an error that says what to do", async ({ page }) => {
  await signIn(page, E2E.demo.email, "not-the-password");
  // Filtered by text: Next's route announcer is an (empty) alert region too.
  const alert = page.getByRole("alert").filter({ hasText: /\S/ });
  await expect(alert).toHaveText("Wrong email or password. Check both and try again.");
  await expect(page).toHaveURL(/\/sign-in$/);
});

test("the demo owner signs in and sees all four services healthy, then signs out", async ({ page }, info) => {
  await signIn(page, E2E.demo.email, E2E.demo.password);
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
  await expect(page.getByTestId("signed-in-as")).toHaveText(E2E.demo.email);
  for (const id of ["web", "nexus", "smith", "observer"]) {
    await expect(page.getByTestId(`service-${id}`)).toHaveAttribute("data-state", "healthy");
  }
  await expect(page.getByTestId("service-nexus")).toContainText(/v\d+\.\d+\.\d+ · answered in \d+ ms/);
  await page.screenshot({ path: info.outputPath("overview.png"), fullPage: true });

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await page.goto("/");
  await expect(page).toHaveURL(/\/sign-in$/);
});

test("when one agent service is down the dashboard names it and the others stay green", async ({ page }, info) => {
  await signIn(page, E2E.observerDown.email, E2E.observerDown.password);
  const observer = page.getByTestId("service-observer");
  await expect(observer).toHaveAttribute("data-state", "down");
  await expect(observer).toContainText(/observer at http:\/\/127\.0\.0\.1:\d+ is unreachable/);
  for (const id of ["web", "nexus", "smith"]) {
    await expect(page.getByTestId(`service-${id}`)).toHaveAttribute("data-state", "healthy");
  }
  await page.screenshot({ path: info.outputPath("overview-observer-down.png"), fullPage: true });
});

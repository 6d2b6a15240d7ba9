import type { APIRequestContext, Page } from "@playwright/test";
import { E2E } from "./ports";

export async function signIn(page: Page, email: string, password: string) {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/sign-in"), { timeout: 15_000 }).catch(() => undefined);
}

/** The demo owner's bearer header for the REST API (a login token). */
export async function demoBearer(request: APIRequestContext) {
  const login = await request.post("/api/v1/auth/login", { data: { email: E2E.demo.email, password: E2E.demo.password } });
  return { authorization: `Bearer ${((await login.json()) as { token: string }).token}` };
}

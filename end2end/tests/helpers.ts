import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";

/** The demo password of every seeded account (see README). */
export const DEMO_PASSWORD = "openregion-demo";

/** A 1x1 transparent PNG, served for map tiles so tests never reach the network. */
const BLANK_TILE = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=",
  "base64",
);

/** Answers every tile request with a blank tile (or fails it, to test the offline notice). */
export async function stubTiles(page: Page, mode: "blank" | "fail" = "blank"): Promise<void> {
  await page.route(/tile\.openstreetmap\.org/, (route) =>
    mode === "blank"
      ? route.fulfill({ status: 200, contentType: "image/png", body: BLANK_TILE })
      : route.abort("internetdisconnected"),
  );
}

/** Opens `path` and waits until the page is hydrated (interactive). */
export async function open(page: Page, path: string): Promise<void> {
  await page.goto(path);
  await page.waitForSelector("body[data-hydrated]");
}

/** Signs in through the form and waits for the header to show the user. */
export async function signIn(page: Page, email: string, password: string): Promise<void> {
  await open(page, "/login");
  await page.locator("#field-email").fill(email);
  await page.locator("#field-password").fill(password);
  await page.locator('[data-test="login-form"] [data-test="submit"]').click();
  await expect(page.locator('[data-test="user-name"]')).toBeVisible();
  await expect(page).toHaveURL(/\/$/);
}

/** Signs out through the account menu. */
export async function signOut(page: Page): Promise<void> {
  await page.locator('[data-test="user-name"]').click();
  await page.locator('[data-test="logout"]').click();
  await expect(page.locator('[data-test="login-link"]')).toBeVisible();
}

/** Fails on any serious or critical axe-core finding on the current page. */
export async function expectAccessible(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const severe = results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.impact}: ${v.id} (${v.help}) at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  expect(severe, `${page.url()}\n${severe.join("\n")}`).toEqual([]);
}

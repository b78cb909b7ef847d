import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { DEMO_PASSWORD, expectAccessible, open, signIn } from "./helpers";

test("a resident downloads their data, then deletes the account: a wrong password keeps it, the right one ends it for good", async ({ page }) => {
  // A resident no other test signs in as: the account is gone afterwards.
  const email = "resident16@openregion.demo";
  await signIn(page, email, DEMO_PASSWORD);
  await open(page, "/account");
  const section = page.locator('[data-test="your-data"]');
  await expectAccessible(page);

  const downloading = page.waitForEvent("download");
  await section.locator('[data-test="download-data"]').click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^open-region-data-\d+\.zip$/);
  const path = await download.path();
  const bytes = readFileSync(path);
  expect(bytes.subarray(0, 2).toString()).toBe("PK");
  expect(bytes.includes(Buffer.from("data.json"))).toBe(true);

  await section.locator('[data-test="delete-account"] summary').click();
  const form = section.locator('[data-test="delete-account-form"]');
  await form.locator('[data-test="delete-confirm"]').check();
  await form.locator('[data-test="delete-password"]').fill("not-my-password");
  await form.locator('[data-test="delete-submit"]').click();
  await expect(form.locator('[data-test="error-password"]')).toBeVisible();
  await expect(page.locator('[data-test="user-name"]')).toBeVisible();

  await form.locator('[data-test="delete-password"]').fill(DEMO_PASSWORD);
  await form.locator('[data-test="delete-submit"]').click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.locator('[data-test="login-link"]')).toBeVisible();

  await open(page, "/login");
  await page.locator("#field-email").fill(email);
  await page.locator("#field-password").fill(DEMO_PASSWORD);
  await page.locator('[data-test="login-form"] [data-test="submit"]').click();
  await expect(page.locator('[data-test="login-form"]')).toContainText("Неверная почта или пароль");
});

test("one's data, the notification settings and the report form fit a phone and read in English", { tag: "@mobile" }, async ({ page }) => {
  // Only this test signs in as resident25, so its language is this test's to change.
  await signIn(page, "resident25@openregion.demo", DEMO_PASSWORD);
  await open(page, "/account");
  await page.locator('[data-test="lang-en"]').click();
  await expect(page.locator('[data-test="your-data"] h2')).toHaveText("My data");
  await expect(page.locator('[data-test="download-data"]')).toHaveText("Download my data (ZIP)");
  await expect(page.locator('[data-test="notification-settings"] h2')).toHaveText("Notifications by topic");
  await expect(page.locator('[data-test="notify-publication"] option:checked')).toHaveText("As usual");
  await expectAccessible(page);
  expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);

  await open(page, "/community?scope=everyone");
  const publication = page.locator('[data-test="publication"]').first();
  await publication.locator('[data-test="report"] summary').click();
  await expect(publication.locator('[data-test="report-submit"]')).toBeVisible();
  await expect(publication.locator('[data-test="report"] summary')).toHaveText("Report");
  await expectAccessible(page);
  expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
});

import { expect, test } from "@playwright/test";
import { DEMO_PASSWORD, expectAccessible, open, signIn } from "./helpers";

const SEEDED_CHALLENGE = "Как связать Восточно-Кругликовский микрорайон с центром";
const SEEDED_ROUTE = "Новый маршрут №77: Восточно-Кругликовский — Красная — вокзал";

test("a resident follows a municipality and a challenge: the activity feed shows what is new there, and stops after unfollowing", async ({ page }) => {
  await signIn(page, "resident23@openregion.demo", DEMO_PASSWORD);
  await open(page, "/community");
  await page.locator('[data-test="feed-activity"]').click();
  await expect(page).toHaveURL(/\/community\/activity$/);
  await expect(page.locator('[data-test="activity-empty"]')).toBeVisible();

  // A challenge followed from its page: its solutions appear, named by the challenge.
  await open(page, "/solutions");
  await page.locator('[data-test="challenge-card"]', { hasText: SEEDED_CHALLENGE }).getByRole("link").click();
  const followers = await page.locator('[data-test="challenge-followers"]').textContent();
  await page.locator('[data-test="follow-challenge"]').click();
  await expect(page.locator('[data-test="follow-challenge"]')).toHaveText("Отписаться");
  await expect(page.locator('[data-test="challenge-followers"]')).not.toHaveText(followers ?? "");
  await open(page, "/community/activity");
  const route = page.locator('[data-test="activity-event"]', { hasText: SEEDED_ROUTE });
  await expect(route).toContainText(SEEDED_CHALLENGE);
  await expect(route).toContainText("Решение");

  // A municipality followed from the feed: its published problems and challenges appear.
  const form = page.locator('[data-test="follow-municipality-form"]');
  await form.locator('[data-test="municipality-choice"]').selectOption({ label: "городской округ город Краснодар" });
  await form.locator('[data-test="follow-municipality"]').click();
  await expect(page.locator('[data-test="followed-municipality"]')).toHaveText(["городской округ город Краснодар"]);
  const fromKrasnodar = page.locator('[data-test="activity-event"]', { hasText: "городской округ город Краснодар" });
  await expect(fromKrasnodar.first()).toBeVisible();
  await expect(page.locator('[data-test="activity-event"]', { hasText: "Задача города" }).first()).toBeVisible();
  await expectAccessible(page);

  await page.locator('[data-test="unfollow-municipality"]').click();
  await expect(page.locator('[data-test="followed-municipality"]')).toHaveCount(0);
  await expect(fromKrasnodar).toHaveCount(0);
  await expect(route).toBeVisible();
});

test("the activity feed fits a phone and reads in English", { tag: "@mobile" }, async ({ page }) => {
  await signIn(page, "resident24@openregion.demo", DEMO_PASSWORD);
  await open(page, "/community/activity");
  await expect(page.locator('[data-test="follow-municipality-form"]')).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
  await expectAccessible(page);
  // Only this test signs in as resident24, so its language is this test's to change.
  await page.locator('[data-test="lang-en"]').click();
  await expect(page.locator('[data-test="feed-activity"]')).toHaveText("Activity");
  await expect(page.locator('[data-test="followed-municipalities"] h2')).toHaveText("Municipalities I follow");
});

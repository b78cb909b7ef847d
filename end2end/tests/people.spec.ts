import { expect, test } from "@playwright/test";
import { DEMO_PASSWORD, PHOTO, expectAccessible, open, signIn } from "./helpers";

test("a resident fills in their profile with an avatar and shows their problems; another follows them from a second browser", async ({ browser }) => {
  const owner = await (await browser.newContext()).newPage();
  await signIn(owner, "resident7@openregion.demo", DEMO_PASSWORD);
  await open(owner, "/account");
  const form = owner.locator('[data-test="profile-form"]');
  // A refused change keeps what was typed.
  await form.locator("#field-profile-display_name").fill("   ");
  await form.locator('[data-test="profile-about"]').fill("Пишу о дорогах Динского района.");
  await form.locator('[data-test="profile-save"]').click();
  await expect(owner.locator('[data-test="error-display_name"]')).toBeVisible();
  await expect(form.locator('[data-test="profile-about"]')).toHaveValue("Пишу о дорогах Динского района.");

  await form.locator("#field-profile-display_name").fill("Житель Семь");
  await form.locator('[data-test="photo-input"]').setInputFiles({ name: "я.png", mimeType: "image/png", buffer: PHOTO });
  await expect(form.locator('[data-test="photo-preview"]')).toHaveCount(1);
  await form.locator('[data-test="show-municipality"]').check();
  await form.locator('[data-test="show-problems"]').check();
  await form.locator('[data-test="profile-save"]').click();
  await expect(owner.locator('[data-test="profile-section"] [role="status"]')).toHaveText("Профиль сохранён.");
  await owner.locator('[data-test="open-profile"]').click();
  await expect(owner).toHaveURL(/\/people\/\d+$/);
  const profilePath = new URL(owner.url()).pathname;
  await expect(owner.locator('[data-test="person-name"]')).toHaveText("Житель Семь");
  await expect(owner.locator('[data-test="person-about"]')).toHaveText("Пишу о дорогах Динского района.");
  await expect(owner.locator('[data-test="avatar"]')).toBeVisible();
  await expect(owner.locator('[data-test="person-municipality"]')).not.toBeEmpty();
  await expect(owner.locator('[data-test="person-problems"] h2')).toHaveText("Проблемы");
  await expect(owner.locator('[data-test="person-comments"]')).toHaveCount(0);
  await expect(owner.locator('[data-test="follow"]')).toHaveCount(0);

  const reader = await (await browser.newContext()).newPage();
  await signIn(reader, "resident8@openregion.demo", DEMO_PASSWORD);
  await open(reader, profilePath);
  await expect(reader.locator('[data-test="person-followers"]')).toHaveText("Подписчиков: 0");
  await reader.locator('[data-test="follow"]').click();
  await expect(reader.locator('[data-test="person-followers"]')).toHaveText("Подписчиков: 1");
  await expect(reader.locator('[data-test="follow"]')).toHaveText("Отписаться");
  await expectAccessible(reader);

  await open(owner, profilePath);
  await expect(owner.locator('[data-test="person-followers"]')).toHaveText("Подписчиков: 1");
});

test("a profile fits a phone, has no serious accessibility issue and reads in English", { tag: "@mobile" }, async ({ page }) => {
  // As a guest: switching the language signed in would change the demo citizen's own.
  await open(page, "/community?scope=everyone");
  await page.locator('[data-test="publication-author"]', { hasText: "Анна Горожанина" }).first().click();
  await expect(page).toHaveURL(/\/people\/\d+$/);
  await expect(page.locator('[data-test="person-name"]')).toHaveText("Анна Горожанина");
  await expect(page.locator('[data-test="person-comments"]')).toBeVisible();
  await expect(page.locator('[data-test="person-publications"] [data-test="publication"]').first()).toBeVisible();
  await expectAccessible(page);
  expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
  await page.locator('[data-test="lang-en"]').click();
  await expect(page.locator('[data-test="person-followers"]')).toContainText("Followers:");
  await expect(page.locator('[data-test="person-comments"] h2')).toHaveText("Comments");
});

test("two residents follow each other; one publishes with a photo and it appears in the other's feed, where it is liked and discussed", async ({ browser }) => {
  const writer = await (await browser.newContext()).newPage();
  const reader = await (await browser.newContext()).newPage();
  await signIn(writer, "resident9@openregion.demo", DEMO_PASSWORD);
  await signIn(reader, "resident10@openregion.demo", DEMO_PASSWORD);
  const profileOf = async (page: typeof writer): Promise<string> => {
    await open(page, "/account");
    return (await page.locator('[data-test="open-profile"]').getAttribute("href")) ?? "";
  };
  const writerProfile = await profileOf(writer);
  const readerProfile = await profileOf(reader);
  await open(reader, writerProfile);
  await reader.locator('[data-test="follow"]').click();
  await expect(reader.locator('[data-test="follow"]')).toHaveText("Отписаться");
  await open(writer, readerProfile);
  await writer.locator('[data-test="follow"]').click();
  await expect(writer.locator('[data-test="follow"]')).toHaveText("Отписаться");

  const text = `Во дворе открыли новую площадку ${Date.now()}: фото и схема на https://krd.ru/dvor`;
  await open(writer, "/community");
  const form = writer.locator('[data-test="publish-form"]');
  await form.locator('[data-test="publication-text"]').fill(text);
  await form.locator('[data-test="photo-input"]').setInputFiles({ name: "площадка.png", mimeType: "image/png", buffer: PHOTO });
  await expect(form.locator('[data-test="photo-preview"]')).toHaveCount(1);
  await form.locator('[data-test="publish"]').click();
  const mine = writer.locator('[data-test="publication"]', { hasText: text.slice(0, 40) });
  await expect(mine).toBeVisible();
  await expect(mine.locator('[data-test="photos"] img')).toHaveCount(1);
  await expect(mine.getByRole("link", { name: "https://krd.ru/dvor" })).toHaveAttribute("rel", /nofollow/);

  await open(reader, "/community");
  const seen = reader.locator('[data-test="publication"]', { hasText: text.slice(0, 40) });
  await expect(seen).toBeVisible();
  await seen.locator('[data-test="like"]').click();
  await expect(reader.locator('[data-test="publication"]', { hasText: text.slice(0, 40) }).locator('[data-test="like"]')).toContainText("1");
  await reader.locator('[data-test="publication"]', { hasText: text.slice(0, 40) }).locator('[data-test="publication-comments"]').click();
  await expect(reader).toHaveURL(/\/publications\/\d+$/);
  await reader.locator("#field-comment").fill("Отличная площадка, спасибо!");
  await reader.locator('[data-test="publication-comment-form"] button[type="submit"]').click();
  await expect(reader.locator('[data-test="publication-discussion"]')).toContainText("Отличная площадка, спасибо!");
  await expectAccessible(reader);
});

test("a resident follows a department from its official news and reads the news in their feed", async ({ page }) => {
  await signIn(page, "resident11@openregion.demo", DEMO_PASSWORD);
  await open(page, "/community?scope=following");
  const news = "автобус №77 ходит каждые 12 минут";
  await expect(page.locator('[data-test="publication"]', { hasText: news })).toHaveCount(0);
  await open(page, "/community?scope=everyone");
  const official = page.locator('[data-test="publication"]', { hasText: news });
  await expect(official).toContainText("Официально");
  await official.locator('[data-test="publication-author"]').click();
  await expect(page).toHaveURL(/\/departments\/[a-z0-9-]+$/);
  const section = page.locator('[data-test="department-news"]');
  await expect(section.locator('[data-test="publication"]', { hasText: news })).toBeVisible();
  await section.locator('[data-test="follow-department"]').click();
  await expect(section.locator('[data-test="follow-department"]')).toHaveText("Отписаться");
  await expect(section.locator('[data-test="department-followers"]')).toHaveText(/Подписчиков: [1-9]/);
  await open(page, "/community?scope=following");
  await expect(page.locator('[data-test="publication"]', { hasText: news })).toBeVisible();
});

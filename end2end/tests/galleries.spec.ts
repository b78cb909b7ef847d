import { expect, test } from "@playwright/test";
import { DEMO_PASSWORD, PHOTO, expectAccessible, open, signIn } from "./helpers";

test("a resident makes a followers-only gallery: a stranger sees it only by its share link, a follower finds it on the profile, and a moderator hides it on a report", async ({ browser }) => {
  const owner = await (await browser.newContext()).newPage();
  const other = await (await browser.newContext()).newPage();
  const moderator = await (await browser.newContext()).newPage();
  await signIn(owner, "resident19@openregion.demo", DEMO_PASSWORD);
  await signIn(other, "resident20@openregion.demo", DEMO_PASSWORD);
  await signIn(moderator, "moderator@openregion.demo", DEMO_PASSWORD);
  const title = `Наш двор ${Date.now()}`;

  await open(owner, "/galleries/new");
  const form = owner.locator('[data-test="gallery-form"]');
  // A refused album keeps what was typed and uploaded.
  await form.locator('[data-test="gallery-description"]').fill("Для соседей.");
  await form.locator('[data-test="audience-followers"]').check();
  await form.locator('[data-test="photo-input"]').setInputFiles({ name: "двор.png", mimeType: "image/png", buffer: PHOTO });
  await expect(form.locator('[data-test="photo-preview"]')).toHaveCount(1);
  await form.locator('[data-test="gallery-title-input"]').fill("   ");
  await form.locator('[data-test="gallery-create"]').click();
  await expect(owner.locator('[data-test="error-title"]')).toBeVisible();
  await expect(form.locator('[data-test="gallery-description"]')).toHaveValue("Для соседей.");
  await expect(form.locator('[data-test="photo-preview"]')).toHaveCount(1);
  await form.locator('[data-test="gallery-title-input"]').fill(title);
  await form.locator('[data-test="gallery-create"]').click();
  await expect(owner).toHaveURL(/\/galleries\/\d+$/);
  const galleryPath = new URL(owner.url()).pathname;
  await expect(owner.locator('[data-test="gallery-heading"]')).toHaveText(title);
  await expect(owner.locator('[data-test="gallery-photo"]')).toHaveCount(1);

  const photo = owner.locator('[data-test="gallery-photo"]').first();
  await photo.locator('[data-test="caption-input"]').fill("Новые фонари во дворе");
  await photo.locator('[data-test="caption-save"]').click();
  await expect(owner.locator('[data-test="gallery-caption"]')).toHaveText("Новые фонари во дворе");
  const sharePath = (await owner.locator('[data-test="share-link"]').getAttribute("href")) ?? "";
  expect(sharePath).toMatch(/\/galleries\/\d+\?key=[0-9a-f]{32}$/);

  // Not a follower: the album does not exist for them, except through its link.
  await open(other, galleryPath);
  await expect(other.locator('[data-test="error-page"]')).toBeVisible();
  await open(other, sharePath);
  await expect(other.locator('[data-test="gallery-caption"]')).toHaveText("Новые фонари во дворе");
  await expect(other.locator('[data-test="caption-form"]')).toHaveCount(0);
  await expectAccessible(other);

  // A follower finds it on the owner's profile.
  await other.locator('[data-test="gallery-owner"]').click();
  await expect(other).toHaveURL(/\/people\/\d+$/);
  await expect(other.locator('[data-test="gallery-card"]', { hasText: title })).toHaveCount(0);
  await other.locator('[data-test="follow"]').click();
  await expect(other.locator('[data-test="follow"]')).toHaveText("Отписаться");
  await other.reload();
  await other.locator('[data-test="gallery-card"]', { hasText: title }).click();
  await expect(other.locator('[data-test="gallery-heading"]')).toHaveText(title);

  await other.locator('[data-test="report"] summary').click();
  await other.locator('[data-test="report-reason"]').fill("Чужой двор без согласия жильцов.");
  await other.locator('[data-test="report-submit"]').click();
  await expect(other.locator('[data-test="report-sent"]')).toBeVisible();

  await open(moderator, "/manage/reports");
  const item = moderator.locator('[data-test="reported-item"]', { hasText: title });
  await expect(item.locator('[data-test="reported-reason"]')).toHaveText("Чужой двор без согласия жильцов.");
  await item.locator('[data-test="decision"]').selectOption("hide");
  await item.locator('[data-test="decision-reason"]').fill("Фотографии жильцов без их согласия.");
  await item.locator('[data-test="decide"]').click();
  await expect(moderator.locator('[data-test="reported-item"]', { hasText: title })).toHaveCount(0);

  await open(other, galleryPath);
  await expect(other.locator('[data-test="error-page"]')).toBeVisible();
  await open(owner, galleryPath);
  await expect(owner.locator('[data-test="gallery-hidden"]')).toContainText("Фотографии жильцов без их согласия.");
});

test("a person mutes the notifications of publications: a new comment on theirs no longer rings the bell", async ({ browser }) => {
  const author = await (await browser.newContext()).newPage();
  const commenter = await (await browser.newContext()).newPage();
  await signIn(author, "resident21@openregion.demo", DEMO_PASSWORD);
  await signIn(commenter, "resident22@openregion.demo", DEMO_PASSWORD);

  await open(author, "/account");
  const settings = author.locator('[data-test="notification-settings-form"]');
  await expect(settings.locator('[data-test="notify-publication"]')).toHaveValue("default");
  await settings.locator('[data-test="notify-publication"]').selectOption("off");
  await settings.locator('[data-test="notification-settings-save"]').click();
  await expect(author.locator('[data-test="notification-settings-saved"]')).toBeVisible();
  await author.reload();
  await expect(author.locator('[data-test="notify-publication"]')).toHaveValue("off");

  const text = `Тихая публикация ${Date.now()}`;
  await open(author, "/community");
  await author.locator('[data-test="publication-text"]').fill(text);
  await author.locator('[data-test="publish"]').click();
  await author.locator('[data-test="publication"]', { hasText: text }).locator('[data-test="publication-comments"]').click();
  await expect(author).toHaveURL(/\/publications\/\d+$/);
  const publicationPath = new URL(author.url()).pathname;
  await open(author, "/notifications");
  const before = await author.locator('[data-test="notification"]').count();

  await open(commenter, publicationPath);
  await commenter.locator("#field-comment").fill("Хорошая новость!");
  await commenter.locator('[data-test="publication-comment-form"] button[type="submit"]').click();
  await expect(commenter.locator('[data-test="publication-discussion"]')).toContainText("Хорошая новость!");

  await open(author, "/notifications");
  await expect(author.locator("h1")).toBeVisible();
  expect(await author.locator('[data-test="notification"]').count()).toBe(before);
});

test("the demo gallery fits a phone, is accessible and reads in English", { tag: "@mobile" }, async ({ page }) => {
  await open(page, "/community?scope=everyone");
  await page.locator('[data-test="publication-author"]', { hasText: "Анна Горожанина" }).first().click();
  await page.locator('[data-test="gallery-card"]').first().click();
  await expect(page).toHaveURL(/\/galleries\/\d+$/);
  await expect(page.locator('[data-test="gallery-photo"]')).toHaveCount(3);
  await expect(page.locator('[data-test="gallery-caption"]').first()).toHaveText("Новые липы вдоль аллеи");
  await expectAccessible(page);
  expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
  await page.locator('[data-test="lang-en"]').click();
  await expect(page.locator('[data-test="gallery"]')).toContainText("Public");
});

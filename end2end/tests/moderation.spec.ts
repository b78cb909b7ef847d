import { expect, test } from "@playwright/test";
import { DEMO_PASSWORD, expectAccessible, open, signIn } from "./helpers";

test("a resident reports a publication, the moderator hides it with a reason, and only its author still sees it, with the reason", async ({ browser }) => {
  const writer = await (await browser.newContext()).newPage();
  const reader = await (await browser.newContext()).newPage();
  const moderator = await (await browser.newContext()).newPage();
  await signIn(writer, "resident17@openregion.demo", DEMO_PASSWORD);
  await signIn(reader, "resident18@openregion.demo", DEMO_PASSWORD);
  await signIn(moderator, "moderator@openregion.demo", DEMO_PASSWORD);
  const text = `Продаю подписчиков недорого ${Date.now()}`;

  await open(writer, "/community");
  const form = writer.locator('[data-test="publish-form"]');
  await form.locator('[data-test="publication-text"]').fill(text);
  await form.locator('[data-test="publish"]').click();
  await expect(writer.locator('[data-test="publication"]', { hasText: text })).toBeVisible();
  await expect(writer.locator('[data-test="publication"]', { hasText: text }).locator('[data-test="report"]')).toHaveCount(0);

  await open(reader, "/community?scope=everyone");
  const seen = reader.locator('[data-test="publication"]', { hasText: text });
  await seen.locator('[data-test="report"] summary').click();
  await seen.locator('[data-test="report-reason"]').fill("Реклама и спам.");
  await seen.locator('[data-test="report-submit"]').click();
  await expect(seen.locator('[data-test="report-sent"]')).toBeVisible();

  await open(moderator, "/manage/reports");
  const item = moderator.locator('[data-test="reported-item"]', { hasText: text });
  await expect(item.locator('[data-test="reported-reason"]')).toHaveText("Реклама и спам.");
  await expectAccessible(moderator);
  await item.locator('[data-test="decision"]').selectOption("hide");
  await item.locator('[data-test="decision-reason"]').fill("Реклама запрещена правилами сообщества.");
  await item.locator('[data-test="decide"]').click();
  await expect(moderator.locator('[data-test="reported-item"]', { hasText: text })).toHaveCount(0);

  await open(reader, "/community?scope=everyone");
  await expect(reader.locator('[data-test="feed"]')).toBeVisible();
  await expect(reader.locator('[data-test="publication"]', { hasText: text })).toHaveCount(0);

  await open(writer, "/notifications");
  await expect(writer.locator("body")).toContainText("Реклама запрещена правилами сообщества.");
  await writer.locator("a", { hasText: "Реклама запрещена правилами сообщества." }).first().click();
  await expect(writer.locator('[data-test="publication-hidden"]')).toContainText("Реклама запрещена правилами сообщества.");
});

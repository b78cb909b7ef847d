import { expect, type Page, test } from "@playwright/test";
import { DEMO_PASSWORD, expectAccessible, open, signIn } from "./helpers";

const UNDELIVERABLE = "Сообщение не может быть доставлено этому адресату.";

async function ownProfile(page: Page): Promise<string> {
  await open(page, "/account");
  return (await page.locator('[data-test="open-profile"]').getAttribute("href")) ?? "";
}

async function send(page: Page, text: string): Promise<void> {
  const form = page.locator('[data-test="send-message-form"]');
  await form.locator("#message-body").fill(text);
  await form.locator('[data-test="send-message"]').click();
}

test("one resident writes to another, who sees it unread, then live in the open conversation; after a block the next message is refused and kept", async ({ browser }) => {
  const writer = await (await browser.newContext()).newPage();
  const reader = await (await browser.newContext()).newPage();
  await signIn(writer, "resident13@openregion.demo", DEMO_PASSWORD);
  await signIn(reader, "resident14@openregion.demo", DEMO_PASSWORD);
  const writerProfile = await ownProfile(writer);
  const readerProfile = await ownProfile(reader);
  const stamp = Date.now();

  await open(writer, readerProfile);
  await writer.locator('[data-test="write-message"] summary').click();
  await writer.locator("#write-message-body").fill(`Здравствуйте! Пишу по поводу двора ${stamp}.`);
  await writer.locator('[data-test="write-message-submit"]').click();
  await expect(writer).toHaveURL(/\/messages\/\d+$/);
  await expect(writer.locator('[data-test="message"]')).toHaveCount(1);
  await expect(writer.locator('[data-test="message"]').first()).toContainText(`двора ${stamp}`);

  await open(reader, "/messages");
  await expect(reader.locator('[data-test="messages-unread"]')).toHaveText("1");
  const line = reader.locator('[data-test="conversation"]').first();
  await expect(line).toContainText(`двора ${stamp}`);
  await expect(line.locator('[data-test="conversation-unread"]')).toHaveText("1");
  await line.locator("a.conversation-with").click();
  await expect(reader).toHaveURL(/\/messages\/\d+$/);
  await expect(reader.locator('[data-test="message"]')).toHaveCount(1);
  await expectAccessible(reader);

  // Both pages stay open: each new message appears in the other without a reload.
  await send(writer, `Во сколько удобно встретиться? ${stamp}`);
  await expect(writer.locator('[data-test="message"]')).toHaveCount(2);
  await expect(reader.locator('[data-test="message"]')).toHaveCount(2);
  await expect(reader.locator('[data-test="message"]').last()).toContainText(`встретиться? ${stamp}`);
  await send(reader, "В субботу в десять, у подъезда.");
  await expect(writer.locator('[data-test="message"]').last()).toContainText("В субботу в десять");
  await expect(reader.locator("#message-body")).toHaveValue("");

  // Read live: nothing stays unread for the reader.
  await open(reader, "/messages");
  await expect(reader.locator('[data-test="messages-unread"]')).toHaveCount(0);

  // The reader blocks the writer: the writer's next message is refused with a reason that
  // does not say who blocked, and the typed text stays.
  await open(reader, writerProfile);
  await reader.locator('[data-test="block"]').click();
  await expect(reader.locator('[data-test="blocked-notice"]')).toBeVisible();
  await expect(reader.locator('[data-test="write-message"]')).toHaveCount(0);
  await send(writer, `Вы меня слышите? ${stamp}`);
  await expect(writer.locator('[data-test="error-recipient"]')).toHaveText(UNDELIVERABLE);
  await expect(writer.locator("#message-body")).toHaveValue(`Вы меня слышите? ${stamp}`);
  await expect(writer.locator('[data-test="message"]')).toHaveCount(3);
});

test("an official finds the conversation about a problem in their messages and on the problem's page", async ({ page }) => {
  await signIn(page, "official@openregion.demo", DEMO_PASSWORD);
  await open(page, "/messages");
  const about = page.locator('[data-test="conversation"]', { hasText: "О проблеме" }).first();
  await expect(about).toBeVisible();
  await about.locator('a[href^="/problems/"]').click();
  await expect(page).toHaveURL(/\/problems\/\d+$/);
  const section = page.locator('[data-test="problem-conversations"]');
  await expect(section.locator('[data-test="conversation"]')).toHaveCount(1);
  await expect(section.locator('[data-test="write-to-author"]')).toBeVisible();
});

test("messages fit a phone and read in English", { tag: "@mobile" }, async ({ page }) => {
  // A resident no other test signs in as: the language is saved on the account.
  await signIn(page, "resident15@openregion.demo", DEMO_PASSWORD);
  await open(page, "/messages");
  await expect(page.locator('[data-test="no-conversations"]')).toBeVisible();
  await expectAccessible(page);
  expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
  await page.locator('[data-test="lang-en"]').click();
  await expect(page.locator("h1")).toHaveText("Messages");
  await expect(page.locator('[data-test="no-conversations"]')).toContainText("No conversations yet");
});

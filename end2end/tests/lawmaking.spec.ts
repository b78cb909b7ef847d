import { expect, type Page, test } from "@playwright/test";
import {
  DEMO_PASSWORD,
  docx,
  download,
  expectAccessible,
  open,
  pdfText,
  runClock,
  signIn,
  signOut,
  stubTiles,
  themeValue,
} from "./helpers";

const DAY_MS = 24 * 3600 * 1000;

test.beforeEach(async ({ page }) => {
  await stubTiles(page);
});

/** Proposes a Krasnodar initiative through the form as the signed-in user; returns its path. */
async function propose(page: Page, title: string): Promise<string> {
  await open(page, "/lawmaking");
  await page.locator('[data-test="propose-link"]').click();
  await expect(page).toHaveURL(/\/lawmaking\/new$/);
  await page.locator("#field-municipality_id").selectOption({ label: "городской округ город Краснодар" });
  await page.locator("#field-theme_id").selectOption(await themeValue(page, "Общественный транспорт"));
  await page.locator("#field-input-title").fill(title);
  await page.locator("#field-input-problem").fill("Трамваи ходят редко, на остановках в час пик не войти.");
  await page.locator("#field-input-goal").fill("Интервал трамваев в час пик не больше 6 минут.");
  await page.locator("#field-input-proposal").fill("Закрепить в транспортной схеме города интервал не больше 6 минут с 7:00 до 10:00.");
  await page.locator('[data-test="submit-initiative"]').click();
  await expect(page).toHaveURL(/\/lawmaking\/\d+$/);
  return new URL(page.url()).pathname;
}

/**
 * As the signed-in moderator: publishes the concept at `path`, opens its discussion with
 * `reason` and starts the drafting; returns the responsible body's slug.
 */
async function openDrafting(page: Page, path: string, reason: string): Promise<string> {
  const stage = page.locator('[data-test="stage"]').first();
  await open(page, path);
  await page.locator('[data-test="step-publish"] button[type="submit"]').click();
  await expect(stage).toHaveText("Концепция");
  await page.locator('[data-test="step-advance"] textarea').fill(reason);
  await page.locator('[data-test="step-advance"] button[type="submit"]').click();
  await expect(stage).toHaveText("Обсуждение идеи");
  await page.locator('[data-test="step-start_drafting"] button[type="submit"]').click();
  await expect(stage).toHaveText("Разработка текста");
  const department = (await page.locator('[data-test="department"] a').getAttribute("href"))?.split("/").pop() ?? "";
  expect(department).toBeTruthy();
  return department;
}

test("a concept goes from proposal through moderation and supports to a discussion with positions", async ({ page }) => {
  const title = `Трамваи чаще ${Date.now()}`;
  await signIn(page, "citizen@openregion.demo", DEMO_PASSWORD);
  // The form refuses an empty proposal field by field, keeping what was typed.
  await open(page, "/lawmaking/new");
  await expectAccessible(page);
  await page.locator('[data-test="propose-form"]').evaluate((form) => form.setAttribute("novalidate", ""));
  await page.locator("#field-input-title").fill("Коротко");
  await page.locator('[data-test="submit-initiative"]').click();
  await expect(page.locator('[data-test="error-problem"]')).toHaveText("Заполните это поле");
  await expect(page.locator('[data-test="error-theme_id"]')).toHaveText("Заполните это поле");
  await expect(page.locator("#field-input-title")).toHaveValue("Коротко");

  const path = await propose(page, title);
  await expect(page.locator('[data-test="initiative-title"]')).toHaveText(title);
  await expect(page.locator('[data-test="stage"]').first()).toHaveText("На модерации");
  await expect(page.locator('[data-test="history-entry"]').first()).toContainText("Инициатива предложена");
  await signOut(page);

  // Guests do not see an initiative before moderation.
  const hidden = await page.goto(path);
  expect(hidden?.status()).toBe(404);

  await signIn(page, "moderator@openregion.demo", DEMO_PASSWORD);
  await open(page, "/manage/initiatives");
  await page.locator('[data-test="initiative-card"]', { hasText: title }).getByRole("link").click();
  await page.locator('[data-test="step-publish"] button[type="submit"]').click();
  await expect(page.locator('[data-test="stage"]').first()).toHaveText("Концепция");
  await expect(page.locator('[data-test="support-progress"]')).toContainText("Поддержали: 0 / 300");
  await expect(page.locator('[data-test="department"]')).toContainText("Краснодар");
  await expect(page.locator('[data-test="stage-ends"]')).toBeVisible();
  await signOut(page);

  // Another resident supports the concept once.
  await signIn(page, "expert@openregion.demo", DEMO_PASSWORD);
  await open(page, path);
  await page.locator('[data-test="support"]').click();
  await expect(page.locator('[data-test="support-progress"]')).toContainText("Поддержали: 1 / 300");
  await expect(page.locator('[data-test="support"]')).toHaveText("Отозвать поддержку");
  await signOut(page);

  // Below the threshold, a moderator may open the discussion with a public reason.
  await signIn(page, "moderator@openregion.demo", DEMO_PASSWORD);
  await open(page, path);
  await page.locator('[data-test="step-advance"]').evaluate((form) => form.setAttribute("novalidate", ""));
  await page.locator('[data-test="step-advance"] button[type="submit"]').click();
  await expect(page.locator('[data-test="step-advance"] [data-test="error-text"]')).toHaveText("Заполните это поле");
  await page.locator('[data-test="step-advance"] textarea').fill("Транспорт волнует весь город.");
  await page.locator('[data-test="step-advance"] button[type="submit"]').click();
  await expect(page.locator('[data-test="stage"]').first()).toHaveText("Обсуждение идеи");
  await expect(page.locator('[data-test="stage-strip"] [aria-current="step"]')).toContainText("Обсуждение идеи");

  // The moderator hands it to another body with a public reason; the stage goes on.
  const otherBody = page.locator('[data-test="reassign-department"] option:not([selected])').first();
  const otherName = ((await otherBody.textContent()) ?? "").trim();
  await page.locator('[data-test="reassign-department"]').selectOption((await otherBody.getAttribute("value")) ?? "");
  await page.locator('[data-test="step-reassign"] textarea').fill("Вопрос ведёт другой орган.");
  await page.locator('[data-test="step-reassign"] button[type="submit"]').click();
  await expect(page.locator('[data-test="department"]')).toContainText(otherName);
  await expect(page.locator('[data-test="history-entry"]').last()).toContainText("Инициатива передана другому ответственному органу");
  await expect(page.locator('[data-test="stage"]').first()).toHaveText("Обсуждение идеи");
  await signOut(page);

  // The discussion asks every comment for a position and sums them up.
  await signIn(page, "citizen@openregion.demo", DEMO_PASSWORD);
  await open(page, path);
  await page.locator('[data-test="comment-form"]').evaluate((form) => form.setAttribute("novalidate", ""));
  await page.locator("#field-comment").fill("Без позиции");
  await page.locator('[data-test="comment-form"] button[type="submit"]').click();
  await expect(page.locator('[data-test="error-position"]')).toHaveText("Заполните это поле");
  await page.locator('[data-test="comment-form"] [data-test="position-for"]').check();
  await page.locator("#field-comment").fill("За: сейчас ждать трамвай по 15 минут.");
  await page.locator('[data-test="comment-form"] button[type="submit"]').click();
  await expect(page.locator('[data-test="comment"]')).toContainText("За: сейчас ждать трамвай по 15 минут.");
  await signOut(page);

  await signIn(page, "expert@openregion.demo", DEMO_PASSWORD);
  await open(page, path);
  await page.locator('[data-test="comment-form"] [data-test="position-against"]').check();
  await page.locator("#field-comment").fill("Против: нужен сначала подсчёт пассажиропотока.");
  await page.locator('[data-test="comment-form"] button[type="submit"]').click();
  await expect(page.locator('[data-test="positions-for"]')).toHaveText("За: 1");
  await expect(page.locator('[data-test="positions-against"]')).toHaveText("Против: 1");
  await expect(page.locator('[data-test="comment-position"]')).toHaveText(["За", "Против"]);

  // Another person's comment takes a support and a reply; the reply joins its thread and
  // the summary names the most supported comment for.
  const citizenThread = page.locator('[data-test="comments"] > [data-test="comment"]', { hasText: "За: сейчас ждать" });
  await citizenThread.locator('[data-test="support-comment"]').click();
  await expect(citizenThread.locator('[data-test="support-comment"]')).toHaveAttribute("aria-pressed", "true");
  await expect(page.locator('[data-test="leading-for"]')).toContainText("За: сейчас ждать трамвай по 15 минут.");
  await expect(page.locator('[data-test="leading-for"]')).toContainText("Поддержали: 1");
  await expect(page.locator('[data-test="leading-against"]')).toHaveCount(0);
  const reply = citizenThread.locator('[data-test="reply"]');
  await reply.locator("summary").click();
  await reply.locator('[data-test="position-neutral"]').check();
  await reply.locator("textarea").fill("А сколько трамваев нужно докупить?");
  await reply.locator('button[type="submit"]').click();
  await expect(citizenThread.locator('[data-test="comment-replies"] [data-test="comment"]')).toContainText("А сколько трамваев нужно докупить?");
  await expect(page.locator('[data-test="positions-neutral"]')).toHaveText("Нейтрально: 1");
  // One does not support one's own comment: the reply shows no button to its writer.
  await expect(citizenThread.locator('[data-test="comment-replies"] [data-test="support-comment"]')).toHaveCount(0);

  const history = page.locator('[data-test="history-entry"]');
  await expect(history).toHaveCount(4);
  await expect(history.nth(1)).toContainText("Концепция опубликована");
  await expect(history.nth(2)).toContainText("Транспорт волнует весь город.");
  await expect(history.nth(3)).toContainText("Вопрос ведёт другой орган.");

  // The page in English.
  await page.locator('[data-test="lang-en"]').click();
  await expect(page.locator('[data-test="stage"]').first()).toHaveText("Idea discussion");
  await expect(page.locator('[data-test="positions-against"]')).toHaveText("Against: 1");
  await page.locator('[data-test="lang-ru"]').click();
  await expect(page.locator('[data-test="stage"]').first()).toHaveText("Обсуждение идеи");

  // The author hears of each step taken by others.
  await signOut(page);
  await signIn(page, "citizen@openregion.demo", DEMO_PASSWORD);
  await open(page, "/notifications");
  const notices = page.locator('[data-test="notification"]');
  await expect(notices.first()).toContainText("Инициатива передана другому ответственному органу");
  await expect(notices.nth(1)).toContainText("Обсуждение открыто решением модератора");
});

test("the responsible body drafts from a .docx, a citizen amends article 3, and the next version takes it in", async ({ page }) => {
  const title = `Трамвайная схема ${Date.now()}`;
  await signIn(page, "citizen@openregion.demo", DEMO_PASSWORD);
  const path = await propose(page, title);
  await signOut(page);

  // A moderator publishes the concept, opens the discussion and starts the drafting.
  await signIn(page, "moderator@openregion.demo", DEMO_PASSWORD);
  const department = await openDrafting(page, path, "Транспорт волнует весь город.");
  await signOut(page);

  // The responsible official loads a Word document, reviews the text and publishes it.
  await signIn(page, `staff-${department}@openregion.demo`, DEMO_PASSWORD);
  await open(page, path);
  await page.locator('[data-test="draft-text-link"]').click();
  await expect(page).toHaveURL(/\/text$/);
  await expect(page.locator('[data-test="no-version"]')).toBeVisible();
  await page.locator('[data-test="docx-file"]').setInputFiles({ name: "старый.doc", mimeType: "application/msword", buffer: Buffer.from("not a document") });
  await page.locator('[data-test="load-docx"]').click();
  await expect(page.locator('[data-test="docx-error"]')).toHaveText("Это не документ Word (.docx) или файл повреждён");
  const draft = docx([
    "Транспортная схема города Краснодара",
    "Статья 1. Интервалы",
    "Интервал трамваев в час пик не превышает 6 минут.",
    "Статья 2. Часы пик",
    "Часы пик: с 7:00 до 10:00 и с 17:00 до 20:00.",
    "Статья 3. Вступление в силу",
    "Настоящее решение вступает в силу с 1 января 2027 года.",
  ]);
  await page.locator('[data-test="docx-file"]').setInputFiles({ name: "проект.docx", mimeType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", buffer: draft });
  await page.locator('[data-test="load-docx"]').click();
  await expect(page.locator('[data-test="version-text"]')).toHaveValue(/Статья 3\. Вступление в силу/);
  await page.locator('[data-test="publish-version-button"]').click();
  await expect(page.locator('[data-test="version"]')).toHaveCount(1);
  await expect(page.locator('[data-test="article"]')).toHaveCount(4);
  await expect(page.locator('[data-test="article"][data-label="3"] [data-test="article-body"]')).toContainText("с 1 января 2027 года");
  await signOut(page);

  // A citizen amends article 3: the unchanged text is refused, the changed one kept.
  await signIn(page, "citizen@openregion.demo", DEMO_PASSWORD);
  await open(page, `${path}/text`);
  const article3 = page.locator('[data-test="article"][data-label="3"]');
  await article3.locator('[data-test="amend-open"]').click();
  await article3.locator('[data-test="justification-input"]').fill("Перевозчику нужно время закупить вагоны.");
  await article3.locator('[data-test="submit-amendment"]').click();
  await expect(article3.locator('[data-test="error-text"]')).toHaveText("Текст не отличается от действующего");
  await article3.locator('[data-test="amendment-input"]').fill("Вступление в силу\nНастоящее решение вступает в силу с 1 июля 2027 года.");
  await article3.locator('[data-test="submit-amendment"]').click();
  await expect(article3.locator('[data-test="amendment"]')).toHaveCount(1);
  await expect(article3.locator('[data-test="amendment-status"]')).toHaveText("На рассмотрении");
  await signOut(page);

  // Another resident supports it.
  await signIn(page, "expert@openregion.demo", DEMO_PASSWORD);
  await open(page, `${path}/text`);
  await article3.locator('[data-test="support-amendment"]').click();
  await expect(article3.locator('[data-test="amendment-supports"]')).toHaveText("Поддержали: 1");
  await signOut(page);

  // The official accepts it with a reason and publishes version 2, which takes it in.
  await signIn(page, `staff-${department}@openregion.demo`, DEMO_PASSWORD);
  await open(page, `${path}/text`);
  await article3.locator('[data-test="disposition-accepted"]').check();
  await article3.locator('[data-test="disposition-reason"]').fill("Срок согласован с перевозчиком.");
  await article3.locator('[data-test="dispose"]').click();
  await expect(article3.locator('[data-test="amendment-status"]')).toHaveText("Принята");
  await expect(page.locator('[data-test="version-text"]')).toHaveValue(/с 1 июля 2027 года/);
  await page.locator('[data-test="version-note"]').fill("Учтена поправка о сроке.");
  await page.locator('[data-test="publish-version-button"]').click();
  await expect(page.locator('[data-test="version"]')).toHaveCount(2);
  await expect(article3.locator('[data-test="article-body"]')).toContainText("с 1 июля 2027 года");

  // The comparison marks the changed words of article 3 only.
  await page.locator('[data-test="compare"]').click();
  await expect(page).toHaveURL(/compare\?from=1&to=2/);
  await expect(page.locator('[data-test="article-change"][data-kind="changed"]')).toHaveCount(1);
  const changed = page.locator('[data-test="article-change"][data-label="3"]');
  await expect(changed.locator('[data-test="added"]')).toContainText("июля");
  await expect(changed.locator('[data-test="removed"]')).toContainText("января");
  await expectAccessible(page);

  // Version 1 still shows the amendment, decided and taken in by version 2.
  await open(page, `${path}/text?version=1`);
  await expect(article3.locator('[data-test="amendment"]')).toContainText("Учтена в редакции 2");
  await expect(article3.locator('[data-test="amendment-reason"]')).toContainText("Срок согласован с перевозчиком.");

  // The initiative's history names both versions; the author was told of the decision.
  await open(page, path);
  await expect(page.locator('[data-test="history-entry"][data-kind="version_published"]')).toHaveCount(2);
  await expect(page.locator('[data-test="history-entry"]').last()).toContainText("Учтена поправка о сроке.");
  await signOut(page);
  await signIn(page, "citizen@openregion.demo", DEMO_PASSWORD);
  await open(page, "/notifications");
  await expect(page.locator('[data-test="notification"]', { hasText: "Принято решение по поправке" }).first()).toBeVisible();
  await expect(page.locator('[data-test="notification"]').first()).toContainText("Опубликована новая редакция текста");

  // The text page in English.
  await open(page, `${path}/text?version=1`);
  await page.locator('[data-test="lang-en"]').click();
  await expect(page.locator("h1.page-title")).toHaveText("Draft text");
  await expect(article3.locator('[data-test="amendment-status"]')).toHaveText("Accepted");
  await page.locator('[data-test="lang-ru"]').click();
});

test("experts examine the draft, every remark gets a decision, and the body adopts it within its deadline", async ({ page }) => {
  const title = `Трамвайные остановки ${Date.now()}`;
  await signIn(page, "citizen@openregion.demo", DEMO_PASSWORD);
  const path = await propose(page, title);
  await signOut(page);

  await signIn(page, "moderator@openregion.demo", DEMO_PASSWORD);
  const department = await openDrafting(page, path, "Остановки важны всем.");
  // The moderator chooses the expert while the text is drafted.
  await page.locator('[data-test="expertise-link"]').click();
  await expect(page.locator('[data-test="expertise"]')).toBeVisible();
  await page.locator('[data-test="expert-choice"]').selectOption({ label: "Борис Экспертов" });
  await page.locator('[data-test="assign-expert"] button[type="submit"]').click();
  await expect(page.locator('[data-test="expert"][data-assigned="true"]')).toContainText("Борис Экспертов");
  await signOut(page);

  // The responsible official publishes the text; the expertise needs it first.
  await signIn(page, `staff-${department}@openregion.demo`, DEMO_PASSWORD);
  await open(page, path);
  await page.locator('[data-test="step-start_expertise"] button[type="submit"]').click();
  await expect(page.locator('[data-test="error-action"]')).toHaveText("Сначала опубликуйте текст проекта");
  await open(page, `${path}/text`);
  await page.locator('[data-test="version-text"]').fill(
    "Об остановках трамвая\n1. Остановки оборудуются навесом и табло.\n2. Табло устанавливаются по усмотрению перевозчика.\n3. Решение вступает в силу с 1 января 2027 года.",
  );
  await page.locator('[data-test="publish-version-button"]').click();
  await expect(page.locator('[data-test="article"]')).toHaveCount(4);
  await open(page, path);
  await page.locator('[data-test="step-start_expertise"] button[type="submit"]').click();
  await expect(page.locator('[data-test="stage"]').first()).toHaveText("Экспертиза");
  await signOut(page);

  // The expert: "support with remarks" needs a remark, and what was typed stays.
  await signIn(page, "expert@openregion.demo", DEMO_PASSWORD);
  await open(page, `${path}/expertise`);
  const form = page.locator('[data-test="conclusion-form"]');
  await form.locator('[data-test="verdict-support_with_remarks"]').check();
  await form.locator('[data-test="conclusion-input"]').fill("Проект можно принять после устранения замечания.");
  await form.locator('[data-test="publish-conclusion"]').click();
  await expect(form.locator('[data-test="error-remarks"]')).toHaveText("Заполните это поле");
  await expect(form.locator('[data-test="conclusion-input"]')).toHaveValue("Проект можно принять после устранения замечания.");
  const row = form.locator('[data-test="remark-row"]').first();
  await row.locator('[data-test="remark-article"]').selectOption("2");
  await row.locator('[data-test="remark-category"]').selectOption("corruption");
  await row.locator('[data-test="remark-input"]').fill("«По усмотрению перевозчика» — коррупциогенная формулировка.");
  await form.locator('[data-test="publish-conclusion"]').click();
  await expect(page.locator('[data-test="conclusion"]')).toHaveCount(1);
  await expect(page.locator('[data-test="remark"]')).toHaveCount(1);
  await expect(page.locator('[data-test="remark-status"]')).toHaveText("Ожидает решения");
  await expect(page.locator('[data-test="conclusion-form"]')).toHaveCount(0);
  await expectAccessible(page);
  await signOut(page);

  // The official cannot close the expertise before deciding the remark, then does both.
  await signIn(page, `staff-${department}@openregion.demo`, DEMO_PASSWORD);
  await open(page, path);
  await page.locator('[data-test="step-close_expertise"] button[type="submit"]').click();
  await expect(page.locator('[data-test="error-action"]')).toHaveText("Не рассмотрено замечаний экспертов: 1. Примите решение по каждому.");
  await open(page, `${path}/expertise`);
  const remark = page.locator('[data-test="remark"]');
  await remark.locator('[data-test="disposition-accepted"]').check();
  await remark.locator('[data-test="disposition-reason"]').fill("Критерии установки табло впишем в пункт 2.");
  await remark.locator('[data-test="dispose"]').click();
  await expect(remark.locator('[data-test="remark-status"]')).toHaveText("Учтено");
  await expect(page.locator('[data-test="open-remarks"]')).toContainText("0");
  await open(page, path);
  await page.locator('[data-test="step-close_expertise"] button[type="submit"]').click();
  await expect(page.locator('[data-test="stage"]').first()).toHaveText("Ответ власти");
  await expect(page.locator('[data-test="reaction"] [data-test="countdown"]')).toHaveText("30 дн. до срока реакции");

  // The test clock brings the deadline near: the body's officials are reminded.
  const id = path.split("/").pop() ?? "";
  runClock("initiative", id, new Date(Date.now() + 26 * DAY_MS));
  await open(page, "/notifications");
  await expect(page.locator('[data-test="notification"]').first()).toContainText("Скоро истекает срок ответа по инициативе");
  // Then lets it pass: the reaction is marked overdue and goes to the supervising body,
  // publicly; the body may still answer.
  runClock("initiative", id, new Date(Date.now() + 31 * DAY_MS));
  await open(page, path);
  await expect(page.locator('[data-test="reaction-overdue"]')).toContainText("Срок ответа истёк");
  await expect(page.locator('[data-test="reaction-escalated"]')).toContainText("Управление контроля администрации губернатора");

  // Adopted with the act's number and date.
  const today = new Date(Date.now() + 3 * 3600 * 1000).toISOString().slice(0, 10);
  const adopt = page.locator('[data-test="step-adopt"]');
  await adopt.locator('[data-test="act-number"]').fill("77-р");
  await adopt.locator('[data-test="act-date"]').fill(today);
  await adopt.locator('button[type="submit"]').click();
  await expect(page.locator('[data-test="stage"]').first()).toHaveText("Принята");
  await expect(page.locator('[data-test="act"] [data-test="act-number"]')).toHaveText("№ 77-р");
  const kinds = await page.locator('[data-test="history-entry"]').evaluateAll((entries) => entries.map((entry) => entry.getAttribute("data-kind")));
  expect(kinds.slice(-6)).toEqual([
    "start_expertise",
    "conclusion_published",
    "close_expertise",
    "reaction_overdue",
    "reaction_escalated",
    "adopt",
  ]);

  // The ledger lists the remark with its fate; the summary carries its Cyrillic text.
  await page.locator('[data-test="ledger-link"]').click();
  await expect(page).toHaveURL(/\/ledger$/);
  await page.locator('[data-test="ledger-kind"]').selectOption("remark");
  await page.locator('[data-test="ledger-apply"]').click();
  await expect(page).toHaveURL(/kind=remark/);
  const entries = page.locator('[data-test="ledger-entry"]');
  await expect(entries).toHaveCount(1);
  await expect(entries.first()).toContainText("коррупциогенная формулировка");
  await expect(entries.first().locator('[data-test="ledger-status-badge"]')).toHaveText("Учтено");
  await expect(entries.first().locator('[data-test="ledger-reason"]')).toContainText("Критерии установки табло");
  await expectAccessible(page);
  await open(page, `${path}/text`);
  const pdf = await download(page, '[data-test="summary-pdf"]');
  expect((await pdfText(pdf)).replace(/\s+/g, "")).toContain("коррупциогеннаяформулировка");

  // The expertise page in English.
  await open(page, `${path}/expertise`);
  await page.locator('[data-test="lang-en"]').click();
  await expect(page.locator("h1.page-title")).toHaveText("Expertise");
  await expect(page.locator('[data-test="remark-status"]')).toHaveText("Accepted");
  await page.locator('[data-test="lang-ru"]').click();
});

test("a reaction past its deadline is marked overdue on the initiative's page", async ({ page }) => {
  await open(page, "/lawmaking?stage=reaction");
  await page.locator('[data-test="initiative-card"]', { hasText: "Охрана старовозрастных деревьев" }).getByRole("link").click();
  await expect(page.locator('[data-test="reaction-overdue"]')).toContainText("Срок ответа истёк");
  await expect(page.locator('[data-test="reaction"] [data-test="countdown"]')).toContainText("Просрочено на");
  await expect(page.locator('[data-test="history-entry"][data-kind="reaction_overdue"]')).toHaveCount(1);
});

test("a moderator lets the author edit the text, and takes it back", async ({ page }) => {
  const title = `Велодорожки ${Date.now()}`;
  await signIn(page, "citizen@openregion.demo", DEMO_PASSWORD);
  const path = await propose(page, title);
  await signOut(page);

  await signIn(page, "moderator@openregion.demo", DEMO_PASSWORD);
  await openDrafting(page, path, "Тема важна.");
  const allow = page.locator('[data-test="step-author-editing"]');
  await allow.locator("textarea").fill("Автор — юрист и подготовил проект сам.");
  await allow.locator('button[type="submit"]').click();
  await expect(page.locator('[data-test="author-edits"]')).toHaveText("Ответственный орган и автор инициативы");
  await expect(page.locator('[data-test="history-entry"][data-kind="author_editing_allowed"]')).toContainText("Автор — юрист");
  await signOut(page);

  // The author now publishes a version, as the body's officials do.
  await signIn(page, "citizen@openregion.demo", DEMO_PASSWORD);
  await open(page, `${path}/text`);
  await page.locator('[data-test="version-text"]').fill("О велодорожках\n1. Велодорожки отделяются от тротуаров.\n2. Решение вступает в силу с 1 июня 2027 года.");
  await page.locator('[data-test="publish-version-button"]').click();
  await expect(page.locator('[data-test="article"]')).toHaveCount(3);
  await signOut(page);

  await signIn(page, "moderator@openregion.demo", DEMO_PASSWORD);
  await open(page, path);
  await allow.locator("textarea").fill("Текст дальше ведёт орган.");
  await allow.locator('button[type="submit"]').click();
  await expect(page.locator('[data-test="author-edits"]')).toHaveCount(0);
  await signOut(page);
  await signIn(page, "citizen@openregion.demo", DEMO_PASSWORD);
  await open(page, `${path}/text`);
  await expect(page.locator('[data-test="article"]')).toHaveCount(3);
  await expect(page.locator('[data-test="version-text"]')).toHaveCount(0);
});

test("an administrator sets a level's support threshold; the proposal form says it", async ({ page }) => {
  await signIn(page, "admin@openregion.demo", DEMO_PASSWORD);
  await open(page, "/manage/lawmaking");
  const district = page.locator('[data-test="threshold"][data-level="municipal_district"]');
  await expect(district.locator('[data-test="threshold-input"]')).toHaveValue("100");
  await district.locator('[data-test="threshold-input"]').fill("120");
  await district.locator('[data-test="threshold-save"]').click();
  await expect(district.locator('[data-test="threshold-input"]')).toHaveValue("120");
  await open(page, "/lawmaking/new");
  await expect(page.locator('[data-test="threshold-rule"]')).toContainText("1\u202f000 / 300 / 120");
  // Back to the default, for the other tests.
  await open(page, "/manage/lawmaking");
  await district.locator('[data-test="threshold-input"]').fill("100");
  await district.locator('[data-test="threshold-save"]').click();
  await expect(district.locator('[data-test="threshold-input"]')).toHaveValue("100");
});

test("the staff's law-making work lists the queues, the reactions due and the control per body", async ({ page }) => {
  await signIn(page, "moderator@openregion.demo", DEMO_PASSWORD);
  await open(page, "/manage");
  await page.locator(".manage-nav").getByRole("link", { name: "Законотворчество: работа" }).click();
  await expect(page).toHaveURL(/\/manage\/lawmaking$/);
  await expect(page.locator('[data-test="queue-moderation"] [data-test="initiative-card"]').first()).toBeVisible();
  await expect(page.locator('[data-test="reaction-item"][data-overdue="true"]', { hasText: "Охрана старовозрастных деревьев" })).toBeVisible();
  await expect(page.locator('[data-test="control-row"]').first()).toContainText("Геленджик");
  await expectAccessible(page);
});

test("the list filters initiatives by level and stage in the URL", async ({ page }) => {
  await open(page, "/lawmaking");
  await expect(page.locator('[data-test="initiative-card"]').first()).toBeVisible();
  await page.locator('[data-test="filter-level"]').selectOption("region");
  await page.locator('[data-test="filter-stage"]').selectOption("discussion");
  await page.locator('[data-test="filter-apply"]').click();
  await expect(page).toHaveURL(/level=region/);
  await expect(page).toHaveURL(/stage=discussion/);
  const cards = page.locator('[data-test="initiative-card"]');
  await expect(cards.first()).toBeVisible();
  for (const card of await cards.all()) {
    await expect(card.locator('[data-test="stage"]')).toHaveText("Обсуждение идеи");
    await expect(card).toContainText("Краснодарский край");
  }
  // Nobody outside the moderators lists the queue.
  await open(page, "/lawmaking?stage=moderation");
  await expect(page.locator('[data-test="no-initiatives"]')).toBeVisible();
});

test("law-making pages fit a phone and have no serious accessibility issue", { tag: "@mobile" }, async ({ page }) => {
  await open(page, "/lawmaking?stage=discussion");
  await expectAccessible(page);
  const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(await overflow()).toBeLessThanOrEqual(0);
  await page.locator('[data-test="initiative-card"]').first().getByRole("link").click();
  await expect(page.locator('[data-test="stage-strip"]')).toBeVisible();
  await expect(page.locator('[data-test="position-summary"]')).toBeVisible();
  await expectAccessible(page);
  expect(await overflow()).toBeLessThanOrEqual(0);
  // The demo expertise with its remarks.
  await open(page, "/lawmaking?stage=expertise");
  await page.locator('[data-test="initiative-card"]', { hasText: "Раздельный сбор отходов" }).getByRole("link").click();
  await page.locator('[data-test="expertise-link"]').click();
  await expect(page.locator('[data-test="remark"]').first()).toBeVisible();
  await expectAccessible(page);
  expect(await overflow()).toBeLessThanOrEqual(0);
  // The demo draft's text with its amendments.
  await open(page, "/lawmaking?stage=drafting");
  await page.locator('[data-test="initiative-card"]', { hasText: "Правила размещения летних кафе" }).getByRole("link").click();
  await page.locator('[data-test="draft-text-link"]').click();
  await expect(page.locator('[data-test="amendment"]').first()).toBeVisible();
  await expectAccessible(page);
  expect(await overflow()).toBeLessThanOrEqual(0);
});

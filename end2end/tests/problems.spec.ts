import { expect, test } from "@playwright/test";
import { DEMO_PASSWORD, PHOTO, expectAccessible, open, report, runClock, signIn, signOut, stubTiles, themeValue } from "./helpers";

test.beforeEach(async ({ page }) => {
  await stubTiles(page);
});

test("a guest is asked to sign in before reporting", async ({ page }) => {
  await open(page, "/problems/new");
  await expect(page.locator('[data-test="sign-in-to-report"]')).toContainText("Войдите");
});

test("the report form refuses bad input field by field and picks the point on the map", async ({ page }) => {
  await signIn(page, "citizen@openregion.demo", DEMO_PASSWORD);
  await open(page, "/problems/new");
  await page.locator("#field-theme_id").selectOption(await themeValue(page, "Уличное освещение"));
  // A click in the middle of the map picks that point into the coordinates.
  await page.locator('[data-test="map"]').click();
  await expect(page.locator("#field-lat")).not.toHaveValue("");
  await expect(page.locator("#field-lon")).not.toHaveValue("");
  await page.locator("#field-input-address").fill("ул. Северная, 1");
  await page.locator("#field-input-title").fill("Яма");
  await page.locator("#field-input-description").fill("коротко");
  // On a phone the second photo input opens the rear camera at once.
  await expect(page.locator('[data-test="photo-camera"]')).toHaveAttribute("capture", "environment");
  await page.locator('[data-test="report-form"]').evaluate((form) => form.setAttribute("novalidate", ""));
  await page.locator('[data-test="submit-problem"]').click();
  await expect(page.locator('[data-test="error-title"]')).toHaveText("Не короче 5 символов");
  await expect(page.locator('[data-test="error-description"]')).toHaveText("Не короче 10 символов");
  await expect(page).toHaveURL(/\/problems\/new$/);

  // A point outside the region is refused, the typed text stays.
  await page.locator("#field-lat").fill("55.75");
  await page.locator("#field-lat").dispatchEvent("change");
  await page.locator("#field-lon").fill("37.62");
  await page.locator("#field-lon").dispatchEvent("change");
  await page.locator("#field-input-title").fill("Фонарь не горит");
  await page.locator("#field-input-description").fill("Фонарь у подъезда не горит неделю.");
  await page.locator('[data-test="submit-problem"]').click();
  await expect(page.locator('[data-test="error-point"]')).toHaveText("Точка вне Краснодарского края");
  await expect(page.locator("#field-input-title")).toHaveValue("Фонарь не горит");
});

test("a report goes through moderation, routing and an official answer the author is told about", async ({ page }) => {
  const title = `Не горит фонарь ${Date.now()}`;
  await signIn(page, "citizen@openregion.demo", DEMO_PASSWORD);
  const url = await report(page, "Уличное освещение", "45.0355", "38,9753", title, true);
  await expect(page.locator('[data-test="photos"] img')).toHaveCount(1);
  await expect(page.locator('[data-test="status"]').first()).toHaveText("На модерации");
  await expect(page.locator('[data-test="timeline-entry"]').first()).toContainText("Сообщение отправлено");
  await signOut(page);

  // Guests do not see problems before moderation.
  const hidden = await page.goto(url);
  expect(hidden?.status()).toBe(404);

  await signIn(page, "moderator@openregion.demo", DEMO_PASSWORD);
  await open(page, "/manage/moderation");
  // Sent a moment ago: it waits 0 hours and is not late.
  const waiting = page.locator('[data-test="queue-row"]', { hasText: title });
  await expect(waiting.locator('[data-test="queue-waiting"]')).toHaveText("0 ч");
  await page.locator('[data-test="queue-row"]', { hasText: title }).getByRole("link").click();
  await expect(page.locator('[data-test="problem-title"]')).toHaveText(title);
  await page.locator('[data-test="step-publish"] button[type="submit"]').click();
  await expect(page.locator('[data-test="status"]').first()).toHaveText("Опубликована");
  await expect(page.locator('[data-test="department"]')).toContainText("Краснодар");
  await expect(page.locator('[data-test="countdown"]')).toHaveText("10 дн. до срока реакции");
  await signOut(page);

  await signIn(page, "official@openregion.demo", DEMO_PASSWORD);
  await open(page, "/manage/workspace");
  await page.locator('[data-test="workspace-row"]', { hasText: title }).getByRole("link").click();
  await expect(page.locator('[data-test="problem-title"]')).toHaveText(title);
  // An answer needs a text: the server says so.
  await page.locator('[data-test="step-answer"]').evaluate((form) => form.setAttribute("novalidate", ""));
  await page.locator('[data-test="step-answer"] button[type="submit"]').click();
  await expect(page.locator('[data-test="step-answer"] [data-test="error-text"]')).toHaveText("Заполните это поле");
  await page.locator('[data-test="step-answer"] textarea').fill("Фонарь заменят в течение недели.");
  await page.locator('[data-test="step-answer"] button[type="submit"]').click();
  await expect(page.locator('[data-test="status"]').first()).toHaveText("Дан ответ");
  await expect(page.locator('[data-test="timeline"]')).toContainText("Фонарь заменят в течение недели.");
  // An answer in words is not the end: a result or a plan is due within the theme's 30 days.
  await expect(page.locator('[data-test="countdown"]')).toHaveText("30 дн. до срока реакции");
  await expect(page.locator('[data-test="result-due"]')).toBeVisible();
  // The resolution report carries its photo into the public timeline.
  await page.locator('[data-test="step-resolve"] textarea').fill("Фонарь заменён.");
  await page.locator('[data-test="step-resolve"] [data-test="photo-input"]').setInputFiles({ name: "done.png", mimeType: "image/png", buffer: PHOTO });
  await expect(page.locator('[data-test="step-resolve"] [data-test="photo-preview"]')).toHaveCount(1);
  await page.locator('[data-test="step-resolve"] button[type="submit"]').click();
  await expect(page.locator('[data-test="status"]').first()).toHaveText("Решена");
  await expect(page.locator('[data-test="timeline-entry"][data-kind="resolved"] img')).toHaveCount(1);
  await signOut(page);

  await signIn(page, "citizen@openregion.demo", DEMO_PASSWORD);
  await expect(page.locator('[data-test="bell-count"]')).toBeVisible();
  await open(page, "/notifications");
  await expect(page.locator('[data-test="notification"]', { hasText: title }).first()).toContainText("Отчёт о решении");
  await expect(page.locator('[data-test="notification"]', { hasText: title })).toContainText(["Отчёт о решении", "Официальный ответ"]);
  await page.locator('[data-test="mark-read"]').click();
  await expect(page.locator(".notification.unread")).toHaveCount(0);
});

test("a lapsed plan reopens and escalates, and the supervising body instructs and answers from its workspace", async ({ page }) => {
  const DAY_MS = 24 * 60 * 60 * 1000;
  const isoDate = (at: Date) => at.toISOString().slice(0, 10);
  const title = `Разбит тротуар ${Date.now()}`;
  await signIn(page, "citizen@openregion.demo", DEMO_PASSWORD);
  const url = await report(page, "Уличное освещение", "45.0355", "38.9753", title);
  const id = url.split("/").pop() ?? "";
  await signOut(page);
  await signIn(page, "moderator@openregion.demo", DEMO_PASSWORD);
  await open(page, url);
  await page.locator('[data-test="step-publish"] button[type="submit"]').click();
  await expect(page.locator('[data-test="status"]').first()).toHaveText("Опубликована");
  await signOut(page);

  // Taking it into work is not a reaction: the countdown stands. Then a plan for tomorrow.
  await signIn(page, "official@openregion.demo", DEMO_PASSWORD);
  await open(page, url);
  await page.locator('[data-test="step-acknowledge"] button[type="submit"]').click();
  await expect(page.locator('[data-test="status"]').first()).toHaveText("В работе");
  await expect(page.locator('[data-test="countdown"]')).toHaveText("10 дн. до срока реакции");
  await page.locator('[data-test="step-plan"] textarea').fill("Заменим плитку завтра.");
  await page.locator('[data-test="step-plan"] input[type="date"]').fill(isoDate(new Date(Date.now() + DAY_MS)));
  await page.locator('[data-test="step-plan"] button[type="submit"]').click();
  await expect(page.locator('[data-test="status"]').first()).toHaveText("Запланирована");
  await signOut(page);

  // Three days later the plan has lapsed: back in work, escalated, the author told.
  runClock("problem", id, new Date(Date.now() + 3 * DAY_MS));
  await signIn(page, "citizen@openregion.demo", DEMO_PASSWORD);
  await open(page, url);
  await expect(page.locator('[data-test="status"]').first()).toHaveText("Опубликована");
  await expect(page.locator('[data-test="timeline-entry"][data-kind="plan_lapsed"]')).toContainText("проблема снова в работе");
  await expect(page.locator('[data-test="timeline-entry"]').last()).toHaveAttribute("data-kind", "escalated");
  await expect(page.locator('[data-test="escalated-to"]')).toContainText("Управление контроля администрации губернатора");
  await open(page, "/notifications");
  await expect(page.locator('[data-test="notification"]', { hasText: title }).filter({ hasText: "Передана на контроль" })).toHaveCount(1);
  await signOut(page);

  // The supervising body finds it in its workspace and acts on it.
  await signIn(page, "staff-governor-control@openregion.demo", DEMO_PASSWORD);
  await open(page, "/manage/workspace");
  await page.locator('[data-test="escalated-row"]', { hasText: title }).getByRole("link").click();
  await expect(page.locator('[data-test="problem-title"]')).toHaveText(title);
  await expect(page.locator('[data-test="step-acknowledge"]')).toHaveCount(0);
  const instruct = page.locator('[data-test="step-instruct"]');
  await instruct.locator("textarea").fill("Восстановить покрытие в течение недели.");
  await instruct.locator('input[type="date"]').fill(isoDate(new Date(Date.now() + 7 * DAY_MS)));
  await instruct.locator('button[type="submit"]').click();
  const instructed = page.locator('[data-test="timeline-entry"][data-kind="instructed"]');
  await expect(instructed).toContainText("Поручение контролирующего органа ведомству");
  await expect(instructed).toContainText("Управление контроля администрации губернатора");
  await expect(page.locator('[data-test="countdown"]')).toHaveText("8 дн. до срока реакции");
  await page.locator('[data-test="step-answer"] textarea').fill("Работы взяты на контроль администрации.");
  await page.locator('[data-test="step-answer"] button[type="submit"]').click();
  await expect(page.locator('[data-test="status"]').first()).toHaveText("Дан ответ");
  await expect(page.locator('[data-test="timeline-entry"][data-kind="answered"]').last()).toContainText("Управление контроля администрации губернатора");
});

test("a neighbour supports a problem once, and the form offers similar ones nearby", async ({ page }) => {
  const title = `Яма у остановки ${Date.now()}`;
  // Road damage is published without pre-moderation.
  await signIn(page, "citizen@openregion.demo", DEMO_PASSWORD);
  const url = await report(page, "Дороги", "45.0400", "38.9700", title);
  await expect(page.locator('[data-test="status"]').first()).toHaveText("Опубликована");
  await signOut(page);

  await signIn(page, "expert@openregion.demo", DEMO_PASSWORD);
  await open(page, "/problems/new");
  await page.locator("#field-theme_id").selectOption(await themeValue(page, "Дороги"));
  await page.locator("#field-lat").fill("45.0405");
  await page.locator("#field-lat").dispatchEvent("change");
  await page.locator("#field-lon").fill("38.9702");
  await page.locator("#field-lon").dispatchEvent("change");
  await expect(page.locator('[data-test="similar"]')).toContainText(title);

  await open(page, new URL(url).pathname);
  await expect(page.locator('[data-test="support-count"]')).toHaveText("Поддержали: 0");
  await page.locator('[data-test="support"]').click();
  await expect(page.locator('[data-test="support-count"]')).toHaveText("Поддержали: 1");
  await expect(page.locator('[data-test="support"]')).toHaveText("Отозвать поддержку");
  await page.locator('[data-test="support"]').click();
  await expect(page.locator('[data-test="support-count"]')).toHaveText("Поддержали: 0");

  await page.locator("#field-comment").fill("У меня тоже колесо пострадало.");
  await page.locator('[data-test="comment-form"] button[type="submit"]').click();
  await expect(page.locator('[data-test="comment"]')).toContainText("У меня тоже колесо пострадало.");
});

test("a reported comment is hidden by a moderator, with the reason in its place", async ({ page }) => {
  const title = `Реклама в обсуждении ${Date.now()}`;
  const spam = `Купите шины со скидкой ${Date.now()}`;
  await signIn(page, "citizen@openregion.demo", DEMO_PASSWORD);
  const url = new URL(await report(page, "Дороги", "45.0410", "38.9710", title)).pathname;
  await page.locator("#field-comment").fill(spam);
  await page.locator('[data-test="comment-form"] button[type="submit"]').click();
  await expect(page.locator('[data-test="comment"]')).toContainText(spam);
  await signOut(page);

  // Any signed-in reader may report; the official is not a moderator (the expert may have
  // become one in the role-granting test).
  await signIn(page, "official@openregion.demo", DEMO_PASSWORD);
  await open(page, url);
  const comment = page.locator('[data-test="comment"]', { hasText: spam });
  await comment.locator('[data-test="report-comment"] summary').click();
  await comment.locator('[data-test="report-comment"] input[name="reason"]').fill("Реклама");
  await comment.locator('[data-test="report-comment"] button[type="submit"]').click();
  await expect(page.locator('[data-test="comment-reported"]')).toBeVisible();
  await expect(page.locator('[data-test="hide-comment"]')).toHaveCount(0);
  await signOut(page);

  await signIn(page, "moderator@openregion.demo", DEMO_PASSWORD);
  await open(page, "/manage/comments");
  const queued = page.locator('[data-test="reported-comment"]', { hasText: spam });
  await expect(queued).toContainText("Реклама");
  await expectAccessible(page);
  await queued.locator('[data-test="hide-comment"] summary').click();
  await queued.locator('[data-test="hide-comment"] input[name="reason"]').fill("Реклама, не по теме");
  await queued.locator('[data-test="hide-comment"] button[type="submit"]').click();
  await expect(page.locator('[data-test="reported-comment"]', { hasText: spam })).toHaveCount(0);

  await open(page, url);
  await expect(page.locator('[data-test="comment-hidden"]')).toContainText("Реклама, не по теме");
  await expect(page.locator('[data-test="comments"]')).not.toContainText(spam);
});

test("the list filters live in the URL and the map shows server-side clusters", async ({ page }) => {
  await open(page, "/problems");
  await expect(page.locator('[data-test="problem-card"]').first()).toBeVisible();
  // Folded until used, so the list comes first on a phone.
  await expect(page.locator('[data-test="filter-status"]')).toBeHidden();
  await page.locator('[data-test="filters-box"] summary').click();
  await page.locator('[data-test="filter-status"]').selectOption("resolved");
  await page.locator('[data-test="filter-apply"]').click();
  await expect(page).toHaveURL(/status=resolved/);
  await expect(page.locator('[data-test="filter-status"]')).toBeVisible();
  const statuses = await page.locator('[data-test="problem-card"] [data-test="status"]').allTextContents();
  expect(statuses.length).toBeGreaterThan(0);
  expect(new Set(statuses)).toEqual(new Set(["Решена"]));

  // Pages start at a row (keyset), and "previous" comes back to the same rows.
  await open(page, "/problems");
  const firstPage = await page.locator('[data-test="problem-card"] h2').allTextContents();
  await page.locator('[data-test="page-next"]').click();
  await expect(page).toHaveURL(/after=\d{8}T\d{6}_\d+/);
  await expect(page.locator('[data-test="problem-card"] h2').first()).not.toHaveText(firstPage[0]);
  await page.locator('[data-test="page-prev"]').click();
  await expect(page).toHaveURL(/before=/);
  // The same rows even if a test beside this one published a problem meanwhile.
  await expect(page.locator('[data-test="problem-card"] h2')).toHaveText(firstPage);

  await open(page, "/problems?overdue=1&sort=deadline");
  await expect(page.locator('[data-test="problem-card"] [data-test="countdown"]').first()).toContainText("Просрочено на");

  await page.locator('[data-test="view-map"]').click();
  await expect(page).toHaveURL(/view=map/);
  await expect(page.locator(".map-cluster").first()).toBeVisible();
  await expectAccessible(page);
});

test("a department's public record shows its reaction statistics", async ({ page }) => {
  await open(page, "/departments/admin-krasnodar");
  await expect(page.locator("h1")).toContainText("Краснодар");
  const received = await page.locator('[data-test="stat-received"]').last().textContent();
  expect(Number((received ?? "0").replace(/\s/g, ""))).toBeGreaterThan(0);
  await expectAccessible(page);
});

test("problem pages and the report form have no serious accessibility issue", async ({ page }) => {
  await open(page, "/problems");
  await page.locator('[data-test="problem-card"] h2 a').first().click();
  await expect(page.locator('[data-test="problem-title"]')).toBeVisible();
  await expectAccessible(page);
  await signIn(page, "official@openregion.demo", DEMO_PASSWORD);
  for (const path of ["/problems/new", "/manage/workspace", "/notifications", "/account"]) {
    await open(page, path);
    await expect(page.locator("h1").first()).toBeVisible();
    await expectAccessible(page);
  }
});

test("on a phone without network a report with a photo waits on the device and is sent once when the network returns", { tag: "@mobile" }, async ({ page, context, isMobile }) => {
  test.skip(!isMobile, "the phone project runs it");
  const title = `Сломана скамейка ${Date.now()}`;
  await signIn(page, "citizen@openregion.demo", DEMO_PASSWORD);
  await open(page, "/problems/new");
  const theme = await themeValue(page, "Уличное освещение");

  await context.setOffline(true);
  await page.locator("#field-theme_id").selectOption(theme);
  await page.locator("#field-lat").fill("45.0355");
  await page.locator("#field-lat").dispatchEvent("change");
  await page.locator("#field-lon").fill("38.9753");
  await page.locator("#field-lon").dispatchEvent("change");
  await page.locator("#field-input-address").fill("ул. Красная, 122");
  await page.locator("#field-input-title").fill(title);
  await page.locator("#field-input-description").fill("Скамейка у остановки сломана, сидеть нельзя.");
  // The upload finds no network: the photo is held on the phone.
  await page.locator('[data-test="photo-input"]').setInputFiles({ name: "photo.png", mimeType: "image/png", buffer: PHOTO });
  await expect(page.locator('[data-test="photo-held"]')).toHaveCount(1);
  await page.locator('[data-test="submit-problem"]').click();
  await expect(page.locator('[data-test="report-kept"]')).toBeVisible();
  await expect(page.locator('[data-test="waiting-report"]', { hasText: title })).toContainText("ждёт сети");
  await expect(page.locator("#field-input-title")).toHaveValue("");
  await expect(page.locator('[data-test="photo-held"]')).toHaveCount(0);

  await context.setOffline(false);
  await expect(page.locator('[data-test="waiting-report"]')).toHaveCount(0);
  await open(page, "/problems/mine");
  const sent = page.locator('[data-test="my-problem-list"] [data-test="problem-card"]', { hasText: title });
  await expect(sent).toHaveCount(1);
  await sent.locator("h2 a").click();
  await expect(page.locator('[data-test="problem-title"]')).toHaveText(title);
  await expect(page.locator('[data-test="photos"] img')).toHaveCount(1);
});

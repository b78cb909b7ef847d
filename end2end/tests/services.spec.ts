import { expect, test } from "@playwright/test";
import ExcelJS from "exceljs";
import { DEMO_PASSWORD, expectAccessible, open, runClock, signIn, signOut } from "./helpers";

const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/** A catalogue spreadsheet with a header row and `rows` (Код, Название, Название (англ.), Уровень, Исполнители). */
async function catalogueWorkbook(rows: string[][]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet("Услуги");
  sheet.addRow(["Код", "Название", "Название (англ.)", "Уровень", "Исполнители"]);
  for (const row of rows) {
    sheet.addRow(row);
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

const PERMITS = "Выдача разрешения на строительство";

test("a citizen reads the month's ranks, rates a provider, changes the rating, reviews it once, and the provider answers", async ({
  page,
}) => {
  // The demo's closed months are ranked; one provider has too few ratings for a rank.
  await open(page, "/services");
  const snapshot = page.locator('[data-test="services-snapshot"]');
  await expect(snapshot).toBeVisible();
  await expect(snapshot.locator('[data-test="service-rank-row"]').first()).toBeVisible();
  await expect(snapshot.locator('[data-test="rank-overall"]').first()).toHaveText("1");
  await expect(snapshot.locator('[data-test="rank-overall"]', { hasText: "мало оценок" }).first()).toBeVisible();
  await page.locator('[data-test="services-method"] summary').click();
  await expect(page.locator('[data-test="services-method"]')).toContainText("байесовское среднее");
  await expectAccessible(page);

  await page.locator('[data-test="service-card"]', { hasText: PERMITS }).getByRole("link").click();
  await expect(page.locator('[data-test="service-title"]')).toHaveText(PERMITS);
  const serviceUrl = page.url();
  await expect(page.locator('[data-test="service-history"]').first()).toBeVisible();
  await expect(page.locator('[data-test="service-sign-in"]')).toBeVisible();
  // The demo provider's answer to the first review.
  await expect(page.locator('[data-test="service-reviews"]')).toContainText("Спасибо за отзыв");

  await signIn(page, "citizen@openregion.demo", DEMO_PASSWORD);
  await open(page, serviceUrl);
  const form = page.locator('[data-test="rating-form"]');
  const provider = await form.locator("#field-input-offering option").first().textContent();
  const review = `Оформили за неделю ${Date.now()}`;
  await form.locator("#field-input-quality").selectOption("5");
  await form.locator("#field-input-convenience").selectOption("4");
  await form.locator("#field-input-speed").selectOption("3");
  await form.locator("#field-input-comment").fill(review);
  await form.locator('[data-test="submit"]').click();
  await expect(page.locator('[data-test="rating-saved"]')).toBeVisible();
  const own = page.locator('[data-test="own-rating"]', { hasText: provider ?? "" });
  await expect(own).toHaveCount(1);
  await expect(own).toContainText("качество 5, удобство 4, скорость 3");
  const reviewed = page.locator('[data-test="comment"]', { hasText: review });
  await expect(reviewed.locator('[data-test="review-marks"]')).toContainText("качество 5, удобство 4, скорость 3");

  // Changed within the month: still one rating.
  await form.locator("#field-input-comment").fill("");
  await form.locator("#field-input-quality").selectOption("2");
  await form.locator("#field-input-convenience").selectOption("2");
  await form.locator("#field-input-speed").selectOption("2");
  await form.locator('[data-test="submit"]').click();
  await expect(own).toContainText("качество 2, удобство 2, скорость 2");
  await expect(own).toHaveCount(1);

  // A second review of the same rating is refused; the rating stays as it was.
  await form.locator("#field-input-quality").selectOption("5");
  await form.locator("#field-input-convenience").selectOption("5");
  await form.locator("#field-input-speed").selectOption("5");
  await form.locator("#field-input-comment").fill("Ещё один отзыв");
  await form.locator('[data-test="submit"]').click();
  await expect(form.locator("#comment-error")).toBeVisible();
  await expect(form.locator("#field-input-comment")).toHaveValue("Ещё один отзыв");
  await open(page, serviceUrl);
  await expect(own).toContainText("качество 2, удобство 2, скорость 2");
  await expect(page.locator('[data-test="comment"]', { hasText: "Ещё один отзыв" })).toHaveCount(0);

  // The month ends (the test clock, 32 days on: past the region's month whatever the hour):
  // its snapshot ranks the provider the citizen rated.
  runClock("services", "", new Date(Date.now() + 32 * 24 * 3600 * 1000));
  await open(page, serviceUrl);
  const rated = page.locator('[data-test="service-provider"]', { hasText: provider ?? "" });
  await expect(rated.locator("td").last()).toHaveText(/^\d+$/);

  // Every published ranking is open data, as CSV too.
  const csv = await page.request.get("/api/opendata/2308000007-gov-service-ranks/rows.csv?limit=100");
  expect(csv.ok()).toBeTruthy();
  const table = await csv.text();
  expect(table.split("\n")[0]).toContain("score");
  expect(table).toContain("building-permit");
  await signOut(page);

  // The rated provider's official answers under the review.
  await signIn(page, "official@openregion.demo", DEMO_PASSWORD);
  await open(page, serviceUrl);
  const answered = page.locator('[data-test="comment"]', { hasText: review });
  await answered.locator("summary", { hasText: "Ответить от имени исполнителя" }).click();
  await answered.locator('[data-test="answer-form"] textarea').fill("Спасибо, передали в отдел выдачи разрешений.");
  await answered.locator('[data-test="answer-form"] button').click();
  await expect(answered.locator('[data-test="comment-replies"]')).toContainText("передали в отдел");
});

test("a moderator adds a service with a provider and closes it for rating; a bad identifier is refused in place", async ({
  page,
}) => {
  await signIn(page, "moderator@openregion.demo", DEMO_PASSWORD);
  await open(page, "/manage/services");
  const form = page.locator('[data-test="service-form"]');
  await form.locator("#field-input-slug").fill("Плохой идентификатор");
  await form.locator("#field-input-name_ru").fill("Выдача архивной справки");
  await form.locator("#field-input-name_en").fill("Archive certificates");
  await form.locator("#field-input-level").selectOption("regional");
  await form.locator('[data-test="submit"]').click();
  await expect(form.locator("#slug-error")).toHaveText("Неверный формат");
  await expect(form.locator("#field-input-name_ru")).toHaveValue("Выдача архивной справки");

  const slug = `archive-${Date.now()}`;
  await form.locator("#field-input-slug").fill(slug);
  await form.locator('[data-test="submit"]').click();
  const row = page.locator('[data-test="service-row"]', { hasText: "Выдача архивной справки" }).last();
  await expect(row).toBeVisible();
  await row.locator('[data-test="add-offering"] select').selectOption({ label: "Министерство культуры Краснодарского края" });
  await row.locator('[data-test="add-offering"] button').click();
  const offering = row.locator('[data-test="service-offering"]', { hasText: "Министерство культуры" });
  await expect(offering).toBeVisible();
  await offering.getByRole("button", { name: "Отключить" }).click();
  await expect(offering.getByRole("button", { name: "Включить" })).toBeVisible();

  // The public catalogue lists it.
  await open(page, "/services");
  await expect(page.locator('[data-test="service-card"]', { hasText: "Выдача архивной справки" }).first()).toBeVisible();
});

test("a moderator imports the catalogue from a spreadsheet: a refused row is named with its column and nothing is written; a good file adds the services with their providers", async ({
  page,
}) => {
  const stamp = Date.now();
  const archive = `Архивная выписка ${stamp}`;
  const museum = `Посещение музея ${stamp}`;
  await signIn(page, "moderator@openregion.demo", DEMO_PASSWORD);
  await open(page, "/manage/services");
  const importer = page.locator('[data-test="services-import"]');

  // Row 3 has an unknown level: the whole file is refused, the row and its column named.
  await importer.locator('[data-test="services-file"]').setInputFiles({
    name: "услуги.xlsx",
    mimeType: XLSX_TYPE,
    buffer: await catalogueWorkbook([
      [`archive-${stamp}`, archive, "Archive extracts", "региональная", "min-culture"],
      [`museum-${stamp}`, museum, "Museum visits", "федеральная", ""],
    ]),
  });
  await importer.locator('[data-test="services-import-send"]').click();
  const refusals = importer.locator('[data-test="services-import-errors"]');
  await expect(refusals).toContainText("Строка 3 · Уровень");
  await expect(refusals.locator("li")).toHaveCount(1);
  await expect(page.locator('[data-test="service-row"]', { hasText: archive })).toHaveCount(0);

  // Corrected: both services are added, the first with its provider.
  await importer.locator('[data-test="services-file"]').setInputFiles({
    name: "услуги.xlsx",
    mimeType: XLSX_TYPE,
    buffer: await catalogueWorkbook([
      [`archive-${stamp}`, archive, "Archive extracts", "региональная", "min-culture"],
      [`museum-${stamp}`, museum, "Museum visits", "Региональная", ""],
    ]),
  });
  await importer.locator('[data-test="services-import-send"]').click();
  await expect(importer.locator('[data-test="services-imported"]')).toContainText("добавлено услуг — 2");
  await expect(refusals).toHaveCount(0);
  const added = page.locator('[data-test="service-row"]', { hasText: archive });
  await expect(added).toHaveCount(1);
  await expect(added.locator('[data-test="service-offering"]')).toContainText("Министерство культуры");
  await expect(page.locator('[data-test="service-row"]', { hasText: museum })).toHaveCount(1);
  await expectAccessible(page);
});

test("the service pages fit a phone and have no serious accessibility issue", { tag: "@mobile" }, async ({ page }) => {
  const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  await open(page, "/services");
  await expectAccessible(page);
  expect(await overflow()).toBeLessThanOrEqual(0);
  // On a phone the ranks table scrolls inside its box instead of widening the page.
  if ((page.viewportSize()?.width ?? 0) < 600) {
    const box = page.locator('[data-test="services-snapshot"] .table-wrap');
    const { inner, outer } = await box.evaluate((element) => ({ inner: element.scrollWidth, outer: element.clientWidth }));
    expect(inner).toBeGreaterThan(outer);
  }
  await page.locator('[data-test="service-card"]', { hasText: PERMITS }).getByRole("link").click();
  await expect(page.locator('[data-test="service-title"]')).toHaveText(PERMITS);
  await expectAccessible(page);
  expect(await overflow()).toBeLessThanOrEqual(0);

  // In English.
  await page.locator('[data-test="lang-en"]').click();
  await expect(page.locator('[data-test="service-title"]')).toHaveText("Building permits");
  await open(page, "/services");
  await expect(page.locator("h1.page-title")).toHaveText("Service ratings");
  await expect(page.locator('[data-test="rank-overall"]', { hasText: "too few ratings" }).first()).toBeVisible();
});

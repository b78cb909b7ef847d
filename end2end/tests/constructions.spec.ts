import { expect, test } from "@playwright/test";
import ExcelJS from "exceljs";
import { DEMO_PASSWORD, download, expectAccessible, open, pdfText, signIn, signOut, stubTiles } from "./helpers";

test.beforeEach(async ({ page }) => {
  await stubTiles(page);
});

const OFFICIAL = "staff-construction-supervision@openregion.demo";

/** Valid 10-digit INNs (organisations), checked by their control digit. */
const GOOD_INN = "7707083893";
const BAD_INN = "7707083890";

/**
 * A registry workbook as an official would get it: Russian headers, dates as Excel dates
 * and as text, a comma decimal, stray spaces, one column whose header the import cannot
 * guess ("Место …" holds the address; unique per run, so the mapping saved for it by an
 * earlier run is not offered) and one row with a bad INN.
 */
async function registryWorkbook(stamp: string): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet("Реестр");
  sheet.addRow([
    "Реестровый номер",
    "Наименование объекта",
    `Место ${stamp}`,
    "Широта",
    "Долгота",
    "Муниципальное образование",
    "Застройщик",
    "ИНН застройщика",
    "Номер разрешения",
    "Дата разрешения",
    "Кем выдано",
    "Разрешённое использование",
    "Этажность",
    "Общая площадь",
    "Статус",
  ]);
  sheet.addRow([
    `E2E-${stamp}-1`,
    `Жилой дом Тестовый-${stamp}`,
    "г. Краснодар, ул. Тестовая, 1",
    45.0401,
    38.9762,
    "г. Краснодар",
    "ООО «Тест-Строй»",
    GOOD_INN,
    "23-RU23306000-1-2025",
    new Date(Date.UTC(2025, 2, 14)),
    "Департамент архитектуры и градостроительства",
    "многоквартирный жилой дом",
    17,
    "12 345,5",
    "Строится",
  ]);
  sheet.addRow([
    `  E2E-${stamp}-2  `,
    `Школа Тестовая-${stamp}`,
    "г. Краснодар, ул. Учебная, 5",
    "45,0502",
    "38,9901",
    "Краснодар",
    "АО «Школьный подрядчик»",
    GOOD_INN,
    "23-RU23306000-2-2025",
    "01.04.2025",
    "Департамент архитектуры и градостроительства",
    "школа",
    4,
    8200,
    "Выдано разрешение",
  ]);
  sheet.addRow([
    `E2E-${stamp}-3`,
    "Склад",
    "г. Краснодар, ул. Складская, 9",
    45.06,
    38.95,
    "Краснодар",
    "ООО «Неверный ИНН»",
    BAD_INN,
    "23-RU23306000-3-2025",
    "2025-05-20",
    "Департамент архитектуры и градостроительства",
    "склад",
    2,
    1500,
    "Строится",
  ]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/**
 * A workbook of the registry of illegal constructions: dates as Excel dates and as text,
 * the owner under "Собственник", and one bad row (an unknown way of finding and a day of
 * identification in the future).
 */
async function illegalWorkbook(stamp: string): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet("Самовольные постройки");
  sheet.addRow([
    "Реестровый номер",
    "Наименование объекта",
    "Адрес",
    "Широта",
    "Долгота",
    "Муниципальное образование",
    "Кадастровый номер",
    "Собственник",
    "Как выявлена",
    "Дата выявления",
    "Статус",
  ]);
  sheet.addRow([`СП-${stamp}-1`, `Ангар Тестовый-${stamp}`, "г. Краснодар, ул. Ангарная, 1", 45.0601, 38.9501, "г. Краснодар", "23:43:0101001:15", "ООО «Ангар»", "Проверка", new Date(Date.UTC(2026, 0, 15)), "Рассматривается в суде"]);
  sheet.addRow([`СП-${stamp}-2`, `Кафе Тестовое-${stamp}`, "г. Краснодар, ул. Речная, 2", 45.0702, 38.9602, "Краснодар", "", "", "Сообщение гражданина", "01.02.2026", "Выявлена"]);
  sheet.addRow([`СП-${stamp}-3`, `Гараж Тестовый-${stamp}`, "г. Краснодар, ул. Лесная, 3", 45.08, 38.97, "Краснодар", "", "", "слухи", "01.01.2099", ""]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** The smallest file with a PDF's structure: its cross-reference stream at offset 9. */
function minimalPdf(): Buffer {
  return Buffer.from("%PDF-1.7\n1 0 obj\n<< /Type /XRef >>\nstream\nendstream\nendobj\nstartxref\n9\n%%EOF\n");
}

test("the public registry filters by URL, shows the map and exports readable XLSX and PDF", async ({ page }) => {
  await open(page, "/constructions");
  await expect(page.locator('[data-test="registry-row"]').first()).toBeVisible();
  await expectAccessible(page);
  // The status filter goes into the URL and narrows the table.
  await page.locator('[data-test="filters-box"] summary').click();
  await page.locator('[data-test="filter-status"]').selectOption("commissioned");
  await page.locator('[data-test="filter-apply"]').click();
  await expect(page).toHaveURL(/status=commissioned/);
  const statuses = page.locator('[data-test="registry-row"] [data-test="construction-status"]');
  await expect(statuses.first()).toHaveText("Введён в эксплуатацию");
  for (const text of await statuses.allTextContents()) {
    expect(text).toBe("Введён в эксплуатацию");
  }
  // The map keeps the filters and shows clustered markers.
  await page.locator('[data-test="view-map"]').click();
  await expect(page).toHaveURL(/status=commissioned.*view=map/);
  await expect(page.locator(".cluster-marker, .leaflet-marker-icon").first()).toBeVisible();
  // The exports take the same filters.
  await page.locator('[data-test="view-list"]').click();
  const xlsxHref = await page.locator('[data-test="export-xlsx"]').getAttribute("href");
  expect(xlsxHref).toContain("status=commissioned");
});

test("citizens' reports show as a table and on the map, with the same filters in both", async ({ page }) => {
  await open(page, "/constructions/reports?status=violation_confirmed");
  const rows = page.locator('[data-test="report-row"]');
  await expect(rows.first()).toBeVisible();
  for (const text of await rows.locator('[data-test="report-status"]').allTextContents()) {
    expect(text).toBe("Нарушение подтверждено");
  }
  await expectAccessible(page);
  await page.locator('[data-test="view-map"]').click();
  await expect(page).toHaveURL(/status=violation_confirmed.*view=map/);
  await expect(page.locator(".cluster-marker, .leaflet-marker-icon").first()).toBeVisible();
  await expect(rows).toHaveCount(0);
  // A status tab keeps the map.
  await page.getByRole("link", { name: "Подано", exact: true }).click();
  await expect(page).toHaveURL(/status=submitted.*view=map/);
  const xlsxHref = await page.locator('[data-test="export-xlsx"]').getAttribute("href");
  expect(xlsxHref).toBe("/constructions/reports/export.xlsx?status=submitted");
});

test("an official imports a workbook, a citizen reports a construction, the official confirms the violation", async ({ page }) => {
  const stamp = `${Date.now()}`;
  await signIn(page, OFFICIAL, DEMO_PASSWORD);
  await open(page, "/manage/registry-import");

  // A file that is not a workbook is refused with a clear message.
  await page.locator('[data-test="import-file"]').setInputFiles({ name: "photo.xlsx", mimeType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", buffer: Buffer.from("\x89PNG not a workbook") });
  await page.locator('[data-test="import-upload-button"]').click();
  await expect(page.locator('[data-test="import-error"]')).toHaveText("Это не книга Excel или файл повреждён");

  await page.locator('[data-test="import-file"]').setInputFiles({ name: "реестр.xlsx", mimeType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", buffer: await registryWorkbook(stamp) });
  await page.locator('[data-test="import-upload-button"]').click();
  await expect(page).toHaveURL(/\/manage\/registry-import\/\d+$/);
  await expect(page.locator('[data-test="import-rows"]')).toContainText("3");
  // "Место" is not recognised: the address must be mapped by hand.
  await expect(page.locator('[data-test="import-missing"]')).toContainText("Адрес");
  await page.locator('[data-test="import-check"]').click();
  await expect(page.locator('[data-test="form-error"]')).toHaveText("Исправьте отмеченные поля.");
  await page.locator('[data-test="mapping-2"]').selectOption("address");
  await page.locator('[data-test="import-check"]').click();

  // The dry run: two rows to add, the bad INN reported with its row and column.
  await expect(page.locator('[data-test="count-added"]')).toHaveText("2", { timeout: 20_000 });
  await expect(page.locator('[data-test="count-bad"]')).toHaveText("1");
  const badRow = page.locator('[data-test="import-error-row"]');
  await expect(badRow).toHaveCount(1);
  await expect(badRow.locator("td").nth(0)).toHaveText("4");
  await expect(badRow.locator("td").nth(1)).toHaveText("ИНН застройщика");
  await expect(badRow.locator("td").nth(2)).toContainText("Неверный ИНН");

  // Nothing is written unless the official chooses to skip the bad row.
  await page.locator('[data-test="import-commit"]').click();
  await expect(page.locator('[data-test="error-skip_bad_rows"]')).toBeVisible();
  await page.locator('[data-test="import-skip-bad"]').check();
  await page.locator('[data-test="import-commit"]').click();
  await expect(page.locator('[data-test="import-phase-committed"]')).toBeVisible({ timeout: 30_000 });
  await expect(page.locator('[data-test="count-added"]')).toHaveText("2");

  // The next workbook with these headers gets the mapping the official confirmed.
  await open(page, "/manage/registry-import");
  await page.locator('[data-test="import-file"]').setInputFiles({ name: "реестр-2.xlsx", mimeType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", buffer: await registryWorkbook(stamp) });
  await page.locator('[data-test="import-upload-button"]').click();
  await expect(page).toHaveURL(/\/manage\/registry-import\/\d+$/);
  await expect(page.locator('[data-test="mapping-2"]')).toHaveValue("address");
  await expect(page.locator('[data-test="import-missing"]')).toHaveCount(0);

  // The entries are in the table (searched by the stamp) and on the entry page.
  await open(page, `/constructions?q=${stamp}`);
  await expect(page.locator('[data-test="registry-row"]')).toHaveCount(2);
  await page.locator('[data-test="registry-row"] a', { hasText: `E2E-${stamp}-1` }).click();
  await expect(page.locator('[data-test="construction-title"]')).toHaveText(`Жилой дом Тестовый-${stamp}`);
  await expect(page.locator('[data-test="construction-facts"]')).toContainText("14.03.2025");
  await expect(page.locator('[data-test="construction-facts"]')).toContainText("12 345,5");
  await expect(page.locator('[data-test="change-list"]')).toContainText("Запись создана");

  // ...and on the map, filtered the same way.
  await open(page, `/constructions?q=${stamp}&view=map`);
  await expect(page.locator(".leaflet-marker-icon").first()).toBeVisible();

  // The exports of the filtered registry download and hold the Cyrillic names.
  await open(page, `/constructions?q=${stamp}`);
  const xlsx = await download(page, '[data-test="export-xlsx"]');
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(xlsx);
  const cells: string[] = [];
  workbook.eachSheet((sheet) => sheet.eachRow((row) => row.eachCell((cell) => cells.push(String(cell.value)))));
  expect(cells).toContain(`Жилой дом Тестовый-${stamp}`);
  const pdf = await download(page, '[data-test="export-pdf"]');
  expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
  // Narrow columns wrap long names across lines, which text extraction returns as
  // separate runs: compare without the whitespace.
  const text = (await pdfText(pdf)).replace(/\s+/g, "");
  expect(text).toContain(`ЖилойдомТестовый-${stamp}`);
  expect(text).toContain("Реестрстроек");
  await signOut(page);

  // A citizen reports a construction that is not in the registry.
  await signIn(page, "citizen@openregion.demo", DEMO_PASSWORD);
  await open(page, "/constructions/reports/new");
  await page.locator('[data-test="kind-not_in_registry"]').check();
  await page.locator("#field-lat").fill("45.0312");
  await page.locator("#field-lat").dispatchEvent("change");
  await page.locator("#field-lon").fill("38.9921");
  await page.locator("#field-lon").dispatchEvent("change");
  const description = `Строят пятиэтажный дом без разрешения ${stamp}`;
  await page.locator('[data-test="description"]').fill(description);
  const address = `г. Краснодар, ул. Самовольная, ${stamp.slice(-4)}`;
  await page.locator('input[name="input[address]"]').fill(address);
  await page.locator('[data-test="submit-construction-report"]').click();
  await expect(page).toHaveURL(/\/constructions\/reports\/\d+$/);
  const reportUrl = page.url();
  await expect(page.locator('[data-test="report-status"]').first()).toHaveText("Подано");
  await signOut(page);

  // The supervision official verifies it and confirms the violation.
  await signIn(page, OFFICIAL, DEMO_PASSWORD);
  await open(page, "/manage/verification");
  await expect(page.locator('[data-test="verification-queue"]')).toContainText(description.slice(0, 40));
  await open(page, new URL(reportUrl).pathname);
  await page.locator('[data-test="do-start_verification"]').click();
  await expect(page.locator('[data-test="report-status"]').first()).toHaveText("На проверке");
  const confirm = page.locator('[data-test="step-confirm_violation"]');
  await confirm.locator('[data-test="verified-on"]').fill(new Date().toISOString().slice(0, 10));
  await confirm.locator('[data-test="step-text"]').fill("Выезд на место: ведётся строительство пятиэтажного дома без разрешения.");
  // The inspection act: a file that merely starts like a PDF is refused with the reason,
  // a real one is attached.
  const actInput = confirm.locator('[data-test="act-input"]');
  await actInput.setInputFiles({ name: "act.pdf", mimeType: "application/pdf", buffer: Buffer.from("%PDF-1.7 <script>alert(1)</script>") });
  await expect(confirm.getByRole("alert")).toContainText("Это не PDF-документ");
  await actInput.setInputFiles({ name: "act.pdf", mimeType: "application/pdf", buffer: minimalPdf() });
  await expect(confirm.locator('[data-test="act-attached"]')).toBeVisible();
  // A verdict naming no act of this report is refused beside the act input, and the
  // report stays under verification.
  const attached = await confirm.locator('input[name="input[act]"]').inputValue();
  await confirm.locator('input[name="input[act]"]').evaluate((input: HTMLInputElement) => {
    input.value = "not-an-act";
  });
  await confirm.locator('[data-test="do-confirm_violation"]').click();
  await expect(confirm.locator('[data-test="error-act"]')).toContainText("Акт проверки не найден");
  await expect(page.locator('[data-test="report-status"]').first()).toHaveText("На проверке");
  await confirm.locator('input[name="input[act]"]').evaluate((input: HTMLInputElement, handle: string) => {
    input.value = handle;
  }, attached);
  await confirm.locator('[data-test="do-confirm_violation"]').click();
  await expect(page.locator('[data-test="report-status"]').first()).toHaveText("Нарушение подтверждено");
  await signOut(page);

  // The result is public with its act, and the citizen was told.
  await open(page, new URL(reportUrl).pathname);
  await expect(page.locator('[data-test="verification-result"]')).toContainText("Выезд на место");
  const act = await page.request.get(await page.locator('[data-test="act-link"]').getAttribute("href") ?? "");
  expect(act.status()).toBe(200);
  expect((await act.body()).subarray(0, 8).toString()).toBe("%PDF-1.7");
  await signIn(page, "citizen@openregion.demo", DEMO_PASSWORD);
  await open(page, "/notifications");
  await expect(page.locator('[data-test="notification"]').first()).toContainText("Нарушение подтверждено");
  await signOut(page);

  // The confirmed construction is now in the registry of illegal constructions, and the
  // report and the entry link to each other.
  await open(page, new URL(reportUrl).pathname);
  await page.locator('[data-test="illegal-entry-link"]').click();
  await expect(page).toHaveURL(/\/constructions\/illegal\/\d+$/);
  const entryPath = new URL(page.url()).pathname;
  await expect(page.locator('[data-test="illegal-address"]')).toHaveText(address);
  await expect(page.locator('[data-test="illegal-source-report"]')).toHaveAttribute("href", new URL(reportUrl).pathname);
  await expect(page.locator('[data-test="illegal-status"]').first()).toHaveText("Выявлена");

  // It is in the public table (searched by the stamp its description carries), on the
  // map with the same filter, and in the PDF with its Cyrillic address.
  await open(page, `/constructions/illegal?q=${stamp}`);
  await expect(page.locator('[data-test="illegal-row"]')).toHaveCount(1);
  await expect(page.locator('[data-test="illegal-row"]')).toContainText(address);
  await expectAccessible(page);
  await page.locator('[data-test="view-map"]').click();
  await expect(page).toHaveURL(new RegExp(`q=${stamp}.*view=map`));
  await expect(page.locator(".leaflet-marker-icon").first()).toBeVisible();
  await open(page, `/constructions/illegal?q=${stamp}`);
  const illegalPdf = await download(page, '[data-test="export-pdf"]');
  expect(illegalPdf.subarray(0, 5).toString()).toBe("%PDF-");
  const illegalText = (await pdfText(illegalPdf)).replace(/\s+/g, "");
  expect(illegalText).toContain(address.replace(/\s+/g, ""));
  expect(illegalText).toContain("Реестрсамовольныхпостроек");

  // The supervising official records the demolition order: refused without its document,
  // recorded with it, and the history shows both steps.
  await signIn(page, OFFICIAL, DEMO_PASSWORD);
  await open(page, entryPath);
  const decision = page.locator('[data-test="illegal-step"]');
  const today = new Date().toISOString().slice(0, 10);
  await decision.locator('[data-test="illegal-next-status"]').selectOption("demolition_ordered");
  await decision.locator('[data-test="illegal-decided-on"]').fill(today);
  await decision.locator('[data-test="illegal-record"]').click();
  await expect(decision.locator('[data-test="error-document"]')).toBeVisible();
  await expect(page.locator('[data-test="illegal-status"]').first()).toHaveText("Выявлена");
  await decision.locator('[data-test="illegal-next-status"]').selectOption("demolition_ordered");
  await decision.locator('[data-test="illegal-decided-on"]').fill(today);
  await decision.locator('[data-test="illegal-document"]').fill("Постановление администрации о сносе самовольной постройки № 17");
  await decision.locator('[data-test="illegal-record"]').click();
  await expect(page.locator('[data-test="illegal-status"]').first()).toHaveText("Решение о сносе");
  await expect(page.locator('[data-test="illegal-events"] li')).toHaveCount(2);
  await expect(page.locator('[data-test="illegal-events"]')).toContainText("№ 17");
});

test("an official imports the registry of illegal constructions: the dry run lists the bad row, the commit fills the table and the map, a second import changes nothing", async ({ page }) => {
  const stamp = `${Date.now()}`;
  await signIn(page, OFFICIAL, DEMO_PASSWORD);
  await open(page, "/constructions/illegal");
  await page.locator('[data-test="illegal-import-link"]').click();
  await expect(page).toHaveURL(/\/manage\/registry-import\?register=illegal$/);
  await expect(page.locator('[data-test="import-register-illegal"]')).toBeChecked();
  const upload = async () => {
    await page.locator('[data-test="import-file"]').setInputFiles({ name: "самовольные.xlsx", mimeType: XLSX_TYPE, buffer: await illegalWorkbook(stamp) });
    await page.locator('[data-test="import-upload-button"]').click();
    await expect(page).toHaveURL(/\/manage\/registry-import\/\d+$/);
    await expect(page.locator('[data-test="import-register"]')).toHaveText("Реестр самовольных построек");
    // Every column is recognised; the developer's word would be the owner's here.
    await expect(page.locator('[data-test="import-missing"]')).toHaveCount(0);
    await expect(page.locator('[data-test="mapping-7"]')).toHaveValue("owner");
    await page.locator('[data-test="import-check"]').click();
  };
  await upload();

  // The dry run: two entries to add, the bad row listed with both of its problems.
  await expect(page.locator('[data-test="count-added"]')).toHaveText("2", { timeout: 20_000 });
  await expect(page.locator('[data-test="count-bad"]')).toHaveText("1");
  const badRows = page.locator('[data-test="import-error-row"]');
  await expect(badRows).toHaveCount(2);
  await expect(badRows.nth(0).locator("td").nth(0)).toHaveText("4");
  await expect(page.locator('[data-test="import-errors"]')).toContainText("Неизвестный способ выявления");
  await expect(page.locator('[data-test="import-errors"]')).toContainText("Дата ещё не наступила");
  await page.locator('[data-test="import-skip-bad"]').check();
  await page.locator('[data-test="import-commit"]').click();
  await expect(page.locator('[data-test="import-phase-committed"]')).toBeVisible({ timeout: 30_000 });
  await expect(page.locator('[data-test="count-added"]')).toHaveText("2");

  // The entries are in the public table with the file's statuses, and on the map.
  await open(page, `/constructions/illegal?q=${stamp}`);
  await expect(page.locator('[data-test="illegal-row"]')).toHaveCount(2);
  const hangar = page.locator('[data-test="illegal-row"]', { hasText: `СП-${stamp}-1` });
  await expect(hangar.locator('[data-test="illegal-status"]')).toHaveText("Рассматривается в суде");
  await expect(hangar).toContainText("ООО «Ангар»");
  await page.locator('[data-test="view-map"]').click();
  await expect(page).toHaveURL(/view=map/);
  await expect(page.locator(".leaflet-marker-icon").first()).toBeVisible();
  await open(page, `/constructions/illegal?q=${stamp}`);
  await hangar.locator("a").first().click();
  await expect(page.locator('[data-test="illegal-title"]')).toHaveText(`Ангар Тестовый-${stamp}`);
  await expect(page.locator('[data-test="illegal-facts"]')).toContainText("23:43:0101001:15");
  await expect(page.locator('[data-test="illegal-events"]')).toContainText("импорт №");

  // The same file again: its dry run finds nothing to add or change.
  await open(page, "/manage/registry-import?register=illegal");
  await upload();
  await expect(page.locator('[data-test="count-unchanged"]')).toHaveText("2", { timeout: 20_000 });
  await expect(page.locator('[data-test="count-added"]')).toHaveText("0");
  await expect(page.locator('[data-test="count-updated"]')).toHaveText("0");
});

test("an official outlines an entry's approved footprint and its map draws it", async ({ page }) => {
  await signIn(page, OFFICIAL, DEMO_PASSWORD);
  await open(page, "/constructions?sort=number");
  await page.locator('[data-test="registry-row"] a').first().click();
  await expect(page.locator('[data-test="construction-title"]')).toBeVisible();
  const entryUrl = page.url();
  await page.locator('[data-test="edit-construction"]').click();
  const outline = page.locator('[data-test="footprint-input"]');
  const overlay = page.locator('[data-test="construction-form"] .leaflet-overlay-pane path');

  // An unreadable outline is refused with its reason, and nothing is saved.
  await outline.fill("45.04, 38.97; 45.04");
  await page.locator('[data-test="save-construction"]').click();
  await expect(page.locator('[data-test="error-footprint"]')).toBeVisible();
  await expect(page).toHaveURL(/\/edit$/);

  // Pairs typed in: the outline previews on the form's map, then shows on the entry.
  await outline.fill("45.0400, 38.9700; 45.0400, 38.9712; 45.0409, 38.9712; 45.0409, 38.9700");
  await expect(overlay).toHaveCount(1);
  await page.locator('[data-test="save-construction"]').click();
  await expect(page).toHaveURL(entryUrl);
  await expect(page.locator('[data-test="footprint"]')).toContainText("Polygon");
  await expect(page.locator('[data-test="map"] .leaflet-overlay-pane path')).toHaveCount(1);
  await expect(page.locator('[data-test="change-list"]').first()).toContainText("Контур, вершин: 4");
  await expectAccessible(page);
});

test("the analytics page draws its charts and offers the figures", async ({ page }) => {
  await open(page, "/constructions/analytics");
  await expect(page.locator('[data-test="analytics-status"] [data-test="bar-chart"]')).toBeVisible();
  // The density layer: shaded grid cells where reports were filed.
  await expect(page.locator('[data-test="map"] .leaflet-overlay-pane path').first()).toBeVisible();
  await expect(page.locator('[data-test="analytics-municipality"] [data-test="bar-chart"] rect').first()).toBeVisible();
  // The registry of illegal constructions: its charts, how long decisions took, its layer.
  await expect(page.locator('[data-test="analytics-illegal-status"] [data-test="bar-chart"]')).toBeVisible();
  await expect(page.locator('[data-test="median-days"]')).toHaveText(/^\d+([,.]\d)?$/);
  await expect(page.locator('[data-test="analytics-illegal-map"] .leaflet-overlay-pane path').first()).toBeVisible();
  const xlsx = await download(page, '[data-test="analytics-xlsx"]');
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(xlsx);
  const sheets = workbook.worksheets.map((sheet) => sheet.name);
  expect(sheets).toContain("Самовольные по статусам");
  expect(sheets).toContain("Срок от выявления до решения");
  await expectAccessible(page);
});

import { expect, test } from "@playwright/test";
import ExcelJS from "exceljs";
import { DEMO_PASSWORD, download, expectAccessible, open, signIn, stubTiles } from "./helpers";

test.beforeEach(async ({ page }) => {
  await stubTiles(page);
});

test("the Governor's office reads the dashboard, switches the period, drills into a municipality's overdue problems and downloads the view", async ({
  page,
}) => {
  // The figures are the refresh job's (once a minute), the lists are live, and the specs
  // before this one changed problems and construction reports moments ago. Figures "as
  // of" a time after this test began count all of that, so every figure equals its list.
  // The job states a time a minute before its run, so this waits one to two minutes.
  test.setTimeout(240_000);
  const started = Date.now();
  await signIn(page, "governor@openregion.demo", DEMO_PASSWORD);
  await expect
    .poll(
      async () => {
        const answer = await page.request.get("/api/dashboard?period=&municipality=");
        const refreshed = ((await answer.json()) as { refreshed_at?: string }).refreshed_at;
        return refreshed ? Date.parse(`${refreshed}Z`) : 0;
      },
      { timeout: 150_000, intervals: [2_000] },
    )
    .toBeGreaterThan(started);
  await open(page, "/manage/dashboard");
  const received = page.locator('[data-test="dash-total-received"] .stat-value');
  await expect(received).not.toHaveText("0");
  await expect(page.locator('[data-test="dashboard-fresh"]')).toBeVisible();
  await expect(page.locator('[data-test="dashboard-trend"] [data-test="bar-chart"]')).toBeVisible();
  // One marker per municipality with problems, at its centre.
  await expect(page.locator('[data-test="map"] .leaflet-marker-icon').first()).toBeVisible();
  // The priority ranks (the open quarter's provisional leaders and the last published
  // quarter's) and the newest month's best and worst rated services, each linked.
  await expect(page.locator('[data-test="dash-provisional"] [data-test="dash-priority"]').first()).toBeVisible();
  const published = page.locator('[data-test="dash-published"] [data-test="dash-priority"]');
  await expect(published.first().locator("td").first()).toHaveText("1");
  await expect(page.locator('[data-test="dash-best-services"] [data-test="dash-offering"]').first()).toBeVisible();
  await expect(page.locator('[data-test="dash-ranked-services"] .stat-value')).not.toHaveText("0");
  await expectAccessible(page);
  const leader = (await published.first().locator("a").textContent()) ?? "";
  await published.first().locator("a").click();
  await expect(page.locator('[data-test="priority-title"]')).toHaveText(leader);
  await open(page, "/manage/dashboard");

  // Another period: the choice goes into the URL and the view follows it.
  const periods = page.locator('[data-test="dashboard-period"] option');
  const thisYear = (await periods.nth(1).getAttribute("value")) ?? "";
  await page.locator('[data-test="dashboard-period"]').selectOption(thisYear);
  await page.locator('[data-test="dashboard-show"]').click();
  await expect(page).toHaveURL(new RegExp(`period=${thisYear}`));
  await expect(page.locator('[data-test="dashboard-fresh"]')).toContainText(thisYear);
  await open(page, "/manage/dashboard");

  // A municipality's overdue count opens the list of exactly those problems.
  const overdueLinks = page.locator('[data-test^="dash-municipalities-"] [data-test="drill-overdue"]');
  const counts = await overdueLinks.allTextContents();
  const index = counts.findIndex((text) => Number(text.replace(/\s/g, "")) > 0);
  expect(index, `overdue counts: ${counts}`).toBeGreaterThanOrEqual(0);
  const overdue = Number(counts[index].replace(/\s/g, ""));
  await overdueLinks.nth(index).click();
  await expect(page).toHaveURL(/\/problems\?municipality=\d+&from=[\d-]+&to=[\d-]+&overdue=1/);
  await expect(page.locator('[data-test="drill-notice"]')).toBeVisible();
  await expect(page.locator('[data-test="problem-card"]')).toHaveCount(Math.min(overdue, 20));

  // The confirmed violations open the reports of the same period, with every confirmed
  // one whatever came after it.
  await open(page, "/manage/dashboard");
  const violations = page.locator('[data-test="dash-violations"]');
  const confirmed = Number(((await violations.locator(".stat-value").textContent()) ?? "").replace(/\s/g, ""));
  expect(confirmed).toBeGreaterThan(0);
  await violations.click();
  await expect(page).toHaveURL(/\/constructions\/reports\?violations=1&from=[\d-]+&to=[\d-]+/);
  await expect(page.locator('[data-test="drill-notice"]')).toBeVisible();
  await expect(page.locator('[data-test="report-row"]')).toHaveCount(Math.min(confirmed, 30));

  // The view as a workbook: the totals first, then a sheet per breakdown.
  await open(page, "/manage/dashboard");
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(await download(page, '[data-test="dashboard-xlsx"]'));
  const names = workbook.worksheets.map((sheet) => sheet.name);
  expect(names).toEqual(expect.arrayContaining(["Показатели региона", "По муниципалитетам", "По месяцам"]));
  const totals = workbook.getWorksheet("Показатели региона");
  expect(totals?.getRow(2).getCell(1).text).toBe("Весь край");
  expect(String(totals?.getRow(2).getCell(2).value)).toBe((await received.textContent())?.replace(/\s/g, ""));
});

test("a citizen cannot open the dashboard or download it", async ({ page }) => {
  await signIn(page, "citizen@openregion.demo", DEMO_PASSWORD);
  await open(page, "/manage/dashboard");
  await expect(page.locator('[data-test="forbidden"]')).toBeVisible();
  const refused = await page.request.get("/manage/dashboard/export.xlsx");
  expect(refused.status()).toBe(403);
});

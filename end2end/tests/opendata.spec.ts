import { expect, test } from "@playwright/test";
import { expectAccessible, open, stubTiles } from "./helpers";

test.beforeEach(async ({ page }) => {
  await stubTiles(page);
});

test("the catalogue counts, searches and filters the published datasets", async ({ page }) => {
  await open(page, "/opendata");
  const datasets = page.locator('[data-test="dataset"]');
  await expect(datasets.first()).toBeVisible();
  const total = await datasets.count();
  expect(total).toBeGreaterThanOrEqual(4);
  await expect(page.locator('[data-test="dataset-count"]')).toContainText(String(total));
  await expectAccessible(page);

  // A word of a title narrows the list, and the search lives in the URL.
  await page.locator('[data-test="opendata-q"]').fill("строительства");
  await page.locator('[data-test="opendata-apply"]').click();
  await expect(page).toHaveURL(/q=/);
  await expect(datasets).toHaveCount(1);
  await expect(datasets.first()).toContainText("Реестр объектов капитального строительства");

  // A keyword filter.
  await open(page, "/opendata");
  await page.locator('[data-test="opendata-subject"]').selectOption("контакты");
  await page.locator('[data-test="opendata-apply"]').click();
  await expect(datasets).toHaveCount(1);
  await expect(datasets.first()).toContainText("Органы власти");
});

test("a dataset page shows its passport, versions, structure and rows page by page", async ({ page }) => {
  await open(page, "/opendata");
  await page.locator('[data-test="dataset"] a', { hasText: "Реестр объектов капитального строительства" }).click();
  await expect(page.locator('[data-test="dataset-title"]')).toHaveText("Реестр объектов капитального строительства");
  // The passport carries its RDFa.
  const passport = page.locator('[data-test="passport"]');
  await expect(passport.locator('[property="dc:identifier"]')).toHaveText(/^\d{10}-construction-registry$/);
  await expect(passport.locator('[typeof="foaf:Document"]')).toHaveCount(1);
  await expect(page.locator('[data-test="version"]')).toHaveCount(1);
  await expect(page.locator('[data-test="columns"] code').first()).toHaveText("registry_number");
  await expectAccessible(page);

  // 50 rows a page; the next page continues after the last row number.
  const rows = page.locator('[data-test="row"]');
  await expect(rows).toHaveCount(50);
  await expect(rows.first().locator("td").first()).toHaveText("1");
  await page.locator('[data-test="rows-next"]').click();
  await expect(page).toHaveURL(/after=50/);
  await expect(rows.first().locator("td").first()).toHaveText("51");

  // The download links are the v3.0 file names, and they serve the files.
  const href = await page.locator('[data-test="download-csv"]').getAttribute("href");
  expect(href).toMatch(/\/opendata\/\d{10}-construction-registry\/data-\d{8}-structure-\d{8}\.csv$/);
  const csv = await page.request.get(href ?? "");
  expect(csv.status()).toBe(200);
  expect(csv.headers()["content-type"]).toBe("text/csv; charset=utf-8");
  expect((await csv.text()).split("\r\n")[0]).toContain("registry_number,object_name,address");
});

import { expect, type Page, test } from "@playwright/test";
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

  // 50 rows a page; the next page continues from a cursor, in the version shown.
  const rows = page.locator('[data-test="row"]');
  await expect(rows).toHaveCount(50);
  await expect(rows.first().locator("td").first()).toHaveText("1");
  await page.locator('[data-test="rows-next"]').click();
  await expect(page).toHaveURL(/version=\d{8}&cursor=/);
  await expect(rows.first().locator("td").first()).toHaveText("51");
  await page.locator('[data-test="rows-first"]').click();
  await expect(rows.first().locator("td").first()).toHaveText("1");

  // The download links are the v3.0 file names, and they serve the files.
  const href = await page.locator('[data-test="download-csv"]').getAttribute("href");
  expect(href).toMatch(/\/opendata\/\d{10}-construction-registry\/data-\d{8}-structure-\d{8}\.csv$/);
  const csv = await page.request.get(href ?? "");
  expect(csv.status()).toBe(200);
  expect(csv.headers()["content-type"]).toBe("text/csv; charset=utf-8");
  expect((await csv.text()).split("\r\n")[0]).toContain("registry_number,object_name,address");
});

/** The texts of one column of the rows table, by the column's machine name. */
async function columnTexts(page: Page, name: string): Promise<string[]> {
  const headers = await page.locator('[data-test="rows"] thead tr').first().locator("th").allTextContents();
  const index = headers.findIndex((text) => text.trim().replace(/[▲▼]/g, "").trim() === name);
  expect(index, `a column ${name} in ${headers.join(",")}`).toBeGreaterThan(0);
  return page.locator('[data-test="row"]').evaluateAll(
    (rows, i) => rows.map((row) => (row.children[i] as HTMLElement).innerText.trim()),
    index,
  );
}

/** Numbers of a column, empty cells (nulls) as -Infinity: they sort first. */
function numbers(texts: string[]): number[] {
  return texts.map((text) => (text === "" ? -Infinity : Number(text)));
}

test("the rows table sorts by a clicked header and filters per column", async ({ page }) => {
  await open(page, "/opendata");
  await page.locator('[data-test="dataset"] a', { hasText: "Реестр объектов капитального строительства" }).click();
  const rows = page.locator('[data-test="row"]');
  await expect(rows).toHaveCount(50);

  // A header click sorts ascending, a second one descending; aria-sort says which.
  const floorsHeader = page.locator('[data-test="rows-header"]', { has: page.locator('[data-test="sort-floors"]') });
  await page.locator('[data-test="sort-floors"]').click();
  await expect(page).toHaveURL(/sort=floors/);
  await expect(floorsHeader).toHaveAttribute("aria-sort", "ascending");
  let floors = numbers(await columnTexts(page, "floors"));
  expect(floors).toEqual([...floors].sort((a, b) => a - b));
  await page.locator('[data-test="sort-floors"]').click();
  await expect(page).toHaveURL(/sort=-floors/);
  await expect(floorsHeader).toHaveAttribute("aria-sort", "descending");
  floors = numbers(await columnTexts(page, "floors"));
  expect(floors).toEqual([...floors].sort((a, b) => b - a));
  expect(floors[0]).toBeGreaterThan(floors[floors.length - 1]);
  await expectAccessible(page);

  // A text column filters by the start of its text, whatever the case; the sort stays.
  const municipality = (await columnTexts(page, "municipality"))[0];
  const start = municipality.slice(0, 4);
  await page.locator('[data-test="filter-municipality"]').fill(start.toLowerCase());
  await page.locator('[data-test="rows-apply"]').click();
  await expect(page).toHaveURL(/prefix\.municipality=/);
  await expect(page).toHaveURL(/sort=-floors/);
  await expect(rows.first()).toBeVisible();
  for (const text of await columnTexts(page, "municipality")) {
    expect(text.toLowerCase().startsWith(start.toLowerCase()), text).toBe(true);
  }
  floors = numbers(await columnTexts(page, "floors"));
  expect(floors).toEqual([...floors].sort((a, b) => b - a));

  // A value that does not fit its column is refused with a translated message.
  await page.locator('[data-test="filter-floors"]').fill("много");
  await page.locator('[data-test="rows-apply"]').click();
  await expect(page.locator('[data-test="rows-error"]')).toContainText("Условия таблицы не приняты");
  await page.locator('[data-test="rows-reset"]').click();
  await expect(rows).toHaveCount(50);

  // No row matches: the empty state says so.
  await page.locator('[data-test="filter-floors"]').fill("99999");
  await page.locator('[data-test="rows-apply"]').click();
  await expect(page.locator('[data-test="rows-empty"]')).toHaveText("Ни одна строка не подходит под фильтры.");
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the rows table works as plain links and a GET form", async ({ page }) => {
    // The catalogue streams its list (it needs the script); the dataset page is rendered
    // whole on the server, so it is reached by its address from the registry file.
    const registry = await (await page.request.get("/opendata/list.json")).json();
    const entry = registry.meta.find((item: { identifier: string }) =>
      item.identifier.endsWith("-construction-registry"),
    );
    await page.goto(`/opendata/${entry.identifier}?sort=-floors`);
    await expect(page.locator('[data-test="row"]')).toHaveCount(50);
    const floors = numbers(await columnTexts(page, "floors"));
    expect(floors).toEqual([...floors].sort((a, b) => b - a));
    await page.locator('[data-test="sort-registry_number"]').click();
    await expect(page).toHaveURL(/sort=registry_number/);
    await page.locator('[data-test="rows-next"]').click();
    await expect(page).toHaveURL(/cursor=/);
    await expect(page.locator('[data-test="row"]').first()).toBeVisible();
    // The filter form submits as a plain GET, keeping the sort.
    await page.locator('[data-test="filter-floors"]').fill("99999");
    await page.locator('[data-test="rows-apply"]').click();
    await expect(page).toHaveURL(/filter\.floors=99999/);
    await expect(page).toHaveURL(/sort=registry_number/);
    await expect(page.locator('[data-test="rows-empty"]')).toBeVisible();
  });
});

test("the rows table scrolls inside its box, not the page", { tag: "@mobile" }, async ({ page }) => {
  await open(page, "/opendata");
  await page.locator('[data-test="dataset"] a', { hasText: "Реестр объектов капитального строительства" }).click();
  await expect(page.locator('[data-test="row"]')).toHaveCount(50);
  const box = page.locator('[data-test="rows-filters"] .table-wrap');
  const { inner, outer } = await box.evaluate((element) => ({ inner: element.scrollWidth, outer: element.clientWidth }));
  expect(inner).toBeGreaterThan(outer);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});

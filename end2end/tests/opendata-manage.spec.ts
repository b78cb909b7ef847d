import path from "node:path";
import { expect, test } from "@playwright/test";
import { DEMO_PASSWORD, expectAccessible, open, signIn, signOut, stubTiles } from "./helpers";

const MODERATOR = "moderator@openregion.demo";

test.beforeEach(async ({ page }) => {
  await stubTiles(page);
});

test("a visitor finds the construction registry, sees it on the map and downloads its CSV", async ({ page }) => {
  await open(page, "/opendata");
  await page.locator('[data-test="opendata-q"]').fill("реестр строительства");
  await page.locator('[data-test="opendata-apply"]').click();
  await page.locator('[data-test="dataset"] a', { hasText: "Реестр объектов капитального строительства" }).click();
  await expect(page.locator('[data-test="dataset-title"]')).toHaveText("Реестр объектов капитального строительства");
  await expect(page.locator('[data-test="row"]').first()).toBeVisible();
  // The map shows the registry's rows, clustered.
  const map = page.locator('[data-test="dataset-map"]');
  await map.scrollIntoViewIfNeeded();
  await expect(map.locator(".cluster-marker, .leaflet-marker-icon").first()).toBeVisible();
  // The CSV link serves the version's file (Chromium shows text/csv inline, so the file
  // is fetched as the link gives it rather than through a download prompt).
  const href = (await page.locator('[data-test="download-csv"]').getAttribute("href")) ?? "";
  expect(href).toMatch(/\/data-\d{8}-structure-\d{8}\.csv$/);
  const csv = await page.request.get(href);
  expect(csv.status()).toBe(200);
  const lines = (await csv.text()).trim().split("\r\n");
  expect(lines[0]).toContain("registry_number");
  expect(lines.length).toBeGreaterThan(50);
});

test("a moderator uploads an XLSX dataset with a passport and it is published in list.csv", async ({ page }) => {
  const code = `playgrounds-${Date.now().toString(36)}`;
  await signIn(page, MODERATOR, DEMO_PASSWORD);
  await open(page, "/manage/opendata");
  await page.locator('[data-test="new-dataset"]').click();
  await page.locator('[data-test="passport-code"]').fill(code);
  await page.locator('[data-test="passport-title_ru"]').fill("Детские площадки Сочи");
  await page.locator('[data-test="passport-title_en"]').fill("Playgrounds of Sochi");
  await page.locator('[data-test="passport-description_ru"]').fill("Адреса, возраст детей, покрытие и координаты детских площадок.");
  await page.locator('[data-test="passport-description_en"]').fill("Addresses, ages, surfaces and coordinates of playgrounds.");
  await page.locator('[data-test="passport-subject"]').fill("дети, площадки, Сочи");
  await page.locator('[data-test="passport-save"]').click();
  await expect(page).toHaveURL(new RegExp(`/manage/opendata/\\d+-${code}$`));
  await expect(page.locator('[data-test="upload-section"]')).toBeVisible();

  // A file in the wrong encoding is refused with a sentence that says what to do.
  await page.locator('[data-test="upload-file"]').setInputFiles({
    name: "cp1251.csv",
    mimeType: "text/csv",
    buffer: Buffer.from([0x41, 0x64, 0x72, 0x0a, 0xcf, 0xe0, 0xf0, 0xea, 0x0a]),
  });
  await page.locator('[data-test="upload-button"]').click();
  await expect(page.locator('[data-test="upload-error"]')).toContainText("UTF-8");

  await page.locator('[data-test="upload-file"]').setInputFiles(path.join(__dirname, "..", "fixtures", "playgrounds-sochi.xlsx"));
  await page.locator('[data-test="upload-button"]').click();
  await expect(page.locator('[data-test="structure-review"]')).toBeVisible();
  await expect(page.locator('[data-test="upload-rows"]')).toHaveText("4");
  const editors = page.locator('[data-test="column-editor"]');
  await expect(editors).toHaveCount(6);
  await expect(editors.nth(3).locator('[data-test="column-kind"]')).toHaveValue("date");
  await expect(page.locator('[data-test="latitude-column"]')).toHaveValue("4");
  // Russian headers need English descriptions; the moderator types them.
  const english = ["Address", "Children's age", "Surface", "Accepted on", "Latitude", "Longitude"];
  for (const [index, text] of english.entries()) {
    await editors.nth(index).locator('[data-test="column-english"]').fill(text);
  }
  await editors.nth(0).locator('[data-test="column-name"]').fill("address");
  await expectAccessible(page);
  await page.locator('[data-test="publish-upload"]').click();
  await expect(page.locator('[data-test="upload-outcome"]')).toBeVisible();

  const list = await page.request.get("/opendata/list.csv");
  expect(await list.text()).toContain(`-${code},Детские площадки Сочи,`);
  await page.locator('[data-test="upload-outcome"] a').click();
  await expect(page.locator('[data-test="dataset-title"]')).toHaveText("Детские площадки Сочи");
  await expect(page.locator('[data-test="columns"] code').first()).toHaveText("address");
  await expect(page.locator('[data-test="dataset-map"] .leaflet-marker-icon, [data-test="dataset-map"] .cluster-marker').first()).toBeVisible();
});

test("a moderator publishes a live dataset on demand", async ({ page }) => {
  await signIn(page, MODERATOR, DEMO_PASSWORD);
  await open(page, "/manage/opendata");
  const row = page.locator('[data-test="manage-dataset"]', { hasText: "municipalities" });
  await row.locator('[data-test="publish-now"]').click();
  // Seeded today with unchanged municipalities: today's version exists already.
  await expect(page.locator('[data-test="publish-outcome"]')).toContainText(/сегодня|не изменились/);
});

test("a citizen requests a dataset and the moderators' answer is public", async ({ page }) => {
  const wish = `Графики вывоза мусора ${Date.now().toString(36)}`;
  await open(page, "/opendata");
  await expect(page.locator('[data-test="dataset-requests"]')).toContainText("войдите");
  await signIn(page, "citizen@openregion.demo", DEMO_PASSWORD);
  await open(page, "/opendata");
  await page.locator('[data-test="request-title"]').fill(wish);
  await page.locator('[data-test="request-details"]').fill("По дворам Краснодара, для соседского чата.");
  await page.locator('[data-test="request-send"]').click();
  await expect(page.locator('[data-test="request-sent"]')).toBeVisible();
  const mine = page.locator('[data-test="request"]', { hasText: wish });
  await expect(mine.locator('[data-test="request-waiting"]')).toBeVisible();
  await signOut(page);

  await signIn(page, MODERATOR, DEMO_PASSWORD);
  await open(page, "/manage/opendata");
  const request = page.locator('[data-test="manage-request"]', { hasText: wish });
  await request.locator('[data-test="answer-text"]').fill("Запросили у департамента ЖКХ, опубликуем в декабре.");
  await request.locator('[data-test="answer-send"]').click();
  await signOut(page);

  await open(page, "/opendata");
  await expect(page.locator('[data-test="request"]', { hasText: wish }).locator('[data-test="request-answer"]')).toContainText(
    "опубликуем в декабре",
  );
});

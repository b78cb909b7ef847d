import { expect, type Locator, type Page, test } from "@playwright/test";
import { DEMO_PASSWORD, PHOTO, expectAccessible, open, signIn, signOut, stubTiles } from "./helpers";

const KRASNODAR_ADMINISTRATION = "Администрация муниципального образования городской округ город Краснодар";
const SEEDED_CHALLENGE = "Как связать Восточно-Кругликовский микрорайон с центром";
const SEEDED_ROUTE = "Новый маршрут №77: Восточно-Кругликовский — Красная — вокзал";

/** Clicks the drawing's map at offsets (in pixels) from its centre. */
async function draw(field: Locator, offsets: [number, number][]): Promise<void> {
  const map = field.locator('[data-test="map"]');
  await expect(map.locator(".leaflet-tile-pane")).toBeAttached();
  const box = await map.boundingBox();
  if (!box) throw new Error("the drawing's map has no box");
  for (const [x, y] of offsets) {
    await map.click({ position: { x: box.width / 2 + x, y: box.height / 2 + y } });
  }
}

async function openSolution(page: Page, title: string): Promise<void> {
  await page.locator('[data-test="solution-card"]', { hasText: title }).getByRole("link", { name: title }).click();
  await expect(page.locator('[data-test="solution-title"]')).toHaveText(title);
}

test("an official publishes a challenge with its area; a citizen draws a bus route, another supports it, the official accepts it and turns it into a law-making concept", async ({
  page,
}) => {
  await stubTiles(page);
  const stamp = Date.now();
  const challengeTitle = `Автобус до нового квартала ${stamp}`;
  const routeTitle = `Маршрут №${stamp % 1000} через центр`;

  await signIn(page, "official@openregion.demo", DEMO_PASSWORD);
  await open(page, "/solutions");
  await page.locator('[data-test="publish-open"]').click();
  const publish = page.locator('[data-test="publish-challenge-form"]');
  await publish.locator("#field-input-theme").selectOption({ label: "Общественный транспорт" });
  await publish.locator("#field-input-department").selectOption({ label: KRASNODAR_ADMINISTRATION });
  await publish.locator("#field-input-title").fill(challengeTitle);
  await publish.locator("#challenge-description").fill("Из нового квартала до центра нет прямого автобуса: предложите маршрут и остановки.");
  const until = new Date(Date.now() + 30 * 24 * 3600 * 1000).toISOString().slice(0, 10);
  await publish.locator("#field-input-proposals_until").fill(until);
  const area = publish.locator('[data-test="sketch-field"]');
  await area.locator('[data-test="sketch-form-area"]').check();
  await draw(area, [
    [-60, -40],
    [60, -40],
    [60, 40],
    [-60, 40],
  ]);
  await expect(area.locator('[data-test="sketch-count"]')).toHaveText("Точек на карте: 4");
  await publish.locator('[data-test="publish-submit"]').click();
  await expect(page.locator('[data-test="challenge-published"]')).toBeVisible();
  await page.locator('[data-test="challenge-published"] a').click();
  await expect(page.locator('[data-test="challenge-title"]')).toHaveText(challengeTitle);
  await expect(page.locator('[data-test="no-solutions"]')).toBeVisible();
  await signOut(page);

  // A citizen proposes a route drawn on the challenge's map; a zone that crosses itself
  // is refused first, with the reason, and nothing typed is lost.
  await signIn(page, "citizen@openregion.demo", DEMO_PASSWORD);
  await open(page, "/solutions");
  await page.locator('[data-test="challenge-card"]', { hasText: challengeTitle }).getByRole("link").click();
  const propose = page.locator('[data-test="propose-solution-form"]');
  await propose.locator("#field-input-title").fill(routeTitle);
  await propose.locator("#solution-description").fill("Продлить маршрут через новый квартал до центра, интервал 10 минут в часы пик.");
  const sketch = propose.locator('[data-test="sketch-field"]');
  await sketch.locator('[data-test="sketch-form-area"]').check();
  await draw(sketch, [
    [-50, -50],
    [50, 50],
    [50, -50],
    [-50, 50],
  ]);
  await propose.locator('[data-test="propose-submit"]').click();
  await expect(propose.locator('[data-test="error-sketch"]')).toHaveText("Граница зоны пересекает сама себя: обведите зону без пересечений.");
  await expect(propose.locator("#field-input-title")).toHaveValue(routeTitle);
  await sketch.locator('[data-test="sketch-clear"]').click();
  await expect(sketch.locator('[data-test="sketch-count"]')).toHaveText("Точек на карте: 0");
  await sketch.locator('[data-test="sketch-form-line"]').check();
  await draw(sketch, [
    [-80, 30],
    [-20, 0],
    [40, -10],
    [90, -40],
  ]);
  await sketch.locator('[data-test="sketch-undo"]').click();
  await expect(sketch.locator('[data-test="sketch-count"]')).toHaveText("Точек на карте: 3");
  await propose.locator('[data-test="photo-input"]').setInputFiles({ name: "остановка.png", mimeType: "image/png", buffer: PHOTO });
  await expect(propose.locator('[data-test="photo-preview"]')).toHaveCount(1);
  await propose.locator('[data-test="propose-submit"]').click();
  await expect(page.locator('[data-test="solution-proposed"]')).toBeVisible();
  await expect(page.locator('[data-test="solution-card"]', { hasText: routeTitle })).toBeVisible();
  await openSolution(page, routeTitle);
  await expect(page.locator('[data-test="solution-status"]')).toHaveText("На рассмотрении");
  await expect(page.locator('[data-test="photos"] img')).toHaveCount(1);
  // The route is drawn over the challenge's area: two shapes on the map.
  await expect(page.locator('[data-test="map"] path.leaflet-interactive')).toHaveCount(2);
  await signOut(page);

  // Another resident supports it (a plain resident: the foundation's test makes the demo
  // expert a moderator, and moderators may answer).
  await signIn(page, "resident12@openregion.demo", DEMO_PASSWORD);
  await open(page, "/solutions");
  await page.locator('[data-test="challenge-card"]', { hasText: challengeTitle }).getByRole("link").click();
  await openSolution(page, routeTitle);
  await expect(page.locator('[data-test="solution-supports"]')).toHaveText("Поддержали: 0");
  await page.locator('[data-test="support"]').click();
  await expect(page.locator('[data-test="solution-supports"]')).toHaveText("Поддержали: 1");
  await expect(page.locator('[data-test="support"]')).toHaveText("Отозвать поддержку");
  await expect(page.locator('[data-test="answer-solution"]')).toHaveCount(0);
  await signOut(page);

  // The challenge's owner accepts it with a public reason.
  await signIn(page, "official@openregion.demo", DEMO_PASSWORD);
  await open(page, "/solutions");
  await page.locator('[data-test="challenge-card"]', { hasText: challengeTitle }).getByRole("link").click();
  await openSolution(page, routeTitle);
  const answer = page.locator('[data-test="answer-form"]');
  await answer.locator("#field-status").selectOption("accepted");
  await answer.locator("#answer-reason").fill("Маршрут включён в план транспортного обслуживания на 2027 год.");
  await answer.locator('[data-test="answer-submit"]').click();
  await expect(page.locator('[data-test="solution-status"]')).toHaveText("Принято");
  await expect(page.locator('[data-test="solution-answer"]')).toContainText("Маршрут включён в план транспортного обслуживания на 2027 год.");
  await expectAccessible(page);

  // The accepted solution becomes a law-making concept, starting from its own texts; the
  // two pages link each other.
  const turn = page.locator('[data-test="turn-form"]');
  await expect(turn.locator("#field-input-title")).toHaveValue(routeTitle);
  await turn.locator("#turn-goal").fill("Прямой автобус из нового квартала до центра с интервалом 10 минут.");
  await turn.locator('[data-test="turn-submit"]').click();
  await expect(page.locator('[data-test="turned"]')).toBeVisible();
  const became = page.locator('[data-test="links"] [data-test="link"]');
  await expect(became).toHaveCount(1);
  await expect(became).toContainText("Стало законодательной инициативой");
  await expect(page.locator('[data-test="turn-form"]')).toHaveCount(0);
  await became.getByRole("link").click();
  await expect(page.locator('[data-test="initiative-title"]')).toHaveText(routeTitle);
  await expect(page.locator('[data-test="initiative"] [data-test="stage"]').first()).toHaveText("Концепция");
  const grewOutOf = page.locator('[data-test="links"] [data-test="link"]');
  await expect(grewOutOf).toContainText("Выросла из решения горожан");
  await grewOutOf.getByRole("link").click();
  await expect(page.locator('[data-test="solution-title"]')).toHaveText(routeTitle);
});

test("challenges and solutions fit a phone, have no serious accessibility issue and read in English", { tag: "@mobile" }, async ({ page }) => {
  await stubTiles(page);
  const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  await open(page, "/solutions");
  await expect(page.locator('[data-test="challenge-card"]', { hasText: SEEDED_CHALLENGE })).toBeVisible();
  await expectAccessible(page);
  expect(await overflow()).toBeLessThanOrEqual(0);
  await page.locator('[data-test="challenge-card"]', { hasText: SEEDED_CHALLENGE }).getByRole("link").click();
  await expect(page.locator('[data-test="challenge-title"]')).toHaveText(SEEDED_CHALLENGE);
  await expect(page.locator('[data-test="sign-in-to-propose"]')).toBeVisible();
  await expectAccessible(page);
  expect(await overflow()).toBeLessThanOrEqual(0);
  await openSolution(page, SEEDED_ROUTE);
  await expect(page.locator('[data-test="solution-answer"]')).toContainText("департамент транспорта");
  await expect(page.locator('[data-test="map"] path.leaflet-interactive').first()).toBeAttached();
  await expectAccessible(page);
  expect(await overflow()).toBeLessThanOrEqual(0);

  await page.locator('[data-test="lang-en"]').click();
  await expect(page.locator('[data-test="solution-status"]')).toHaveText("Under consideration");
  await open(page, "/solutions");
  await expect(page.locator("h1.page-title")).toHaveText("City solutions");
});

test("a resident proposes how to fix a published problem: its challenge opens with the problem's title and links back", async ({ page }) => {
  await stubTiles(page);
  await signIn(page, "citizen@openregion.demo", DEMO_PASSWORD);
  await open(page, "/problems");
  const card = page.locator('[data-test="problem-card"]').first();
  const title = (await card.locator("h2").innerText()).trim();
  await card.locator("h2 a").click();
  await expect(page.locator('[data-test="problem-title"]')).toHaveText(title);
  const problemPath = new URL(page.url()).pathname;
  await page.locator('[data-test="propose-on-problem-submit"]').click();
  await expect(page).toHaveURL(/\/solutions\/challenges\/\d+#propose$/);
  await expect(page.locator('[data-test="challenge-title"]')).toHaveText(title);
  await expect(page.locator('[data-test="propose-solution-form"]')).toBeVisible();
  const back = page.locator('[data-test="links"] [data-test="link"]');
  await expect(back.first()).toContainText("Проблема");
  await expect(back.first().getByRole("link")).toHaveAttribute("href", problemPath);

  // The problem's page now names the challenge, and a second visit finds the same one.
  const challengePath = new URL(page.url()).pathname;
  await open(page, problemPath);
  const named = page.locator('[data-test="links"] [data-test="link"]', { hasText: "Задача для решений горожан" });
  await expect(named.first().getByRole("link")).toHaveAttribute("href", challengePath);
  await page.locator('[data-test="propose-on-problem-submit"]').click();
  await expect(page).toHaveURL(new RegExp(`${challengePath}#propose$`));
});

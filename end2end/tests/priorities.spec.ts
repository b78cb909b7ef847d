import { expect, test } from "@playwright/test";
import { DEMO_PASSWORD, expectAccessible, open, runClock, signIn, signOut } from "./helpers";

const SOCHI = "городской округ город-курорт Сочи";
const BUSES = "Автобусы в горные сёла по расписанию";

test("a citizen moves to Sochi, votes for three priorities and sees the Sochi standings change; the budget refuses a sixth vote", async ({
  page,
}) => {
  // A guest sees the open quarter as provisional and a closed quarter's ranks with its method.
  await open(page, "/ranks");
  await expect(page.locator('[data-test="ranks-provisional"]')).toBeVisible();
  await expect(page.locator('[data-test="ranks-sign-in"]')).toBeVisible();
  await page.locator("#ranks-quarter").selectOption({ index: 1 });
  await page.locator('[data-test="ranks-filter"] button').click();
  await expect(page.locator('[data-test="ranks-provisional"]')).toHaveCount(0);
  const table = page.locator('[data-test="ranks-table"]');
  await expect(table.locator('[data-test="rank"]').first()).toHaveText("1");
  await expect(table.locator('[data-test="weighted-rank"]').first()).toHaveText(/^\d+$/);
  await page.locator('[data-test="ranks-method"] summary').click();
  await expect(page.locator('[data-test="ranks-method"]')).toContainText("взвешенный");
  await expectAccessible(page);

  // A municipality with few demo voters shows "not enough votes" instead of ranks.
  await page.locator("#ranks-municipality").selectOption({ label: "городской округ город Армавир" });
  await page.locator('[data-test="ranks-filter"] button').click();
  await expect(page.locator('[data-test="ranks-too-few"]')).toBeVisible();

  await signIn(page, "citizen@openregion.demo", DEMO_PASSWORD);
  await open(page, "/ranks");
  const left = page.locator('[data-test="ballot"] [data-test="ballot-left"]');
  await expect(left).toHaveText("Осталось голосов: 5 из 5.");
  // The citizen moved: the home changes once this quarter, with a reason.
  await page.locator('[data-test="home-change"] summary').click();
  const home = page.locator('[data-test="home-form"]');
  await home.locator("#field-municipality").selectOption({ label: SOCHI });
  await home.locator("#field-reason").fill("Переехал к семье в Сочи");
  await home.locator('[data-test="home-submit"]').click();
  await expect(page.locator('[data-test="ballot-home"]')).toContainText(SOCHI);
  await expect(page.locator('[data-test="home-moved"]')).toBeVisible();

  // Sochi's provisional standings move with each vote.
  await page.locator("#ranks-municipality").selectOption({ label: SOCHI });
  await page.locator("#ranks-quarter").selectOption({ index: 0 });
  await page.locator('[data-test="ranks-filter"] button').click();
  await expect(page.locator('[data-test="ranks-provisional"]')).toBeVisible();
  const votable = page.locator('[data-test="priority-rank-row"], [data-test="unvoted-priority"]');
  const buses = page.locator('[data-test="priority-rank-row"]', { hasText: BUSES });
  const before = Number(await buses.locator('[data-test="votes"]').textContent());
  await buses.locator('[data-test="vote"]').click();
  await expect(left).toHaveText("Осталось голосов: 4 из 5.");
  await expect(buses.locator('[data-test="votes"]')).toHaveText(String(before + 1));
  const titles = (await votable.locator("a").allTextContents()).filter((title) => title !== BUSES);
  expect(titles.length).toBeGreaterThanOrEqual(5);
  for (const [index, title] of titles.slice(0, 4).entries()) {
    await votable.filter({ hasText: title }).locator('[data-test="vote"]').click();
    await expect(left).toHaveText(`Осталось голосов: ${3 - index} из 5.`);
  }
  await expect(page.locator('[data-test="ballot-empty"]')).toBeVisible();
  // The sixth vote is refused with the reason; a withdrawn vote frees one.
  await votable.filter({ hasText: titles[4] }).locator('[data-test="vote"]').click();
  await expect(page.locator("#priority-error")).toContainText("Все 5 голосов квартала отданы");
  await expect(left).toHaveText("Осталось голосов: 0 из 5.");
  await buses.locator('[data-test="withdraw"]').click();
  await expect(left).toHaveText("Осталось голосов: 1 из 5.");
  await expect(buses.locator('[data-test="votes"]')).toHaveText(String(before));
  await buses.locator('[data-test="vote"]').click();
  await expect(left).toHaveText("Осталось голосов: 0 из 5.");

  // The priority's page: its ranks over the quarters, where its votes come from, the discussion.
  await buses.getByRole("link", { name: BUSES }).click();
  await expect(page.locator('[data-test="priority-title"]')).toHaveText(BUSES);
  await expect(page.locator('[data-test="rank-chart"]')).toBeVisible();
  await expect(page.locator('[data-test="votes-by-municipality"]').first()).toBeVisible();
  await expect(page.locator('[data-test="withdraw"]')).toBeVisible();
  const comment = `Особенно у школ ${Date.now()}`;
  await page.locator('[data-test="priority-comment-form"] textarea').fill(comment);
  await page.locator('[data-test="priority-comment-form"] button').click();
  await expect(page.locator('[data-test="comment"]', { hasText: comment })).toBeVisible();

  // A proposal: a bad place is refused in place, keeping what was typed; then it is sent.
  await open(page, "/ranks");
  await page.locator('[data-test="propose"] summary').click();
  const form = page.locator('[data-test="propose-form"]');
  const title = `Скамейки на остановках ${Date.now()}`;
  await form.locator("#field-input-theme").selectOption({ index: 1 });
  await form.locator("#field-input-title").fill(title);
  await form.locator("textarea").fill("Скамейки и навесы на всех остановках пригородных автобусов.");
  await form.locator("#priority-0-lat").fill("55.75");
  await form.locator("#priority-0-lat").dispatchEvent("change");
  await form.locator("#priority-0-lon").fill("37.61");
  await form.locator("#priority-0-lon").dispatchEvent("change");
  await form.locator('[data-test="propose-submit"]').click();
  await expect(form.locator("#point-error")).toBeVisible();
  await expect(form.locator("#field-input-title")).toHaveValue(title);
  // The place is optional: removed, then picked on the map, which opens on request.
  await form.locator('[data-test="remove-place"]').click();
  await expect(form.locator("#priority-0-lat")).toHaveValue("");
  await expect(form.locator('[data-test="map"]')).toHaveCount(0);
  await form.locator('[data-test="open-map"]').click();
  await form.locator('[data-test="map"]').click();
  await expect(form.locator("#priority-0-lat")).not.toHaveValue("");
  await expect(form.locator("#priority-0-lon")).not.toHaveValue("");
  await form.locator('[data-test="propose-submit"]').click();
  await expect(form.locator('[data-test="proposal-sent"]')).toBeVisible();
  await signOut(page);

  await signIn(page, "moderator@openregion.demo", DEMO_PASSWORD);
  await open(page, "/manage/priorities");
  const card = page.locator('[data-test="managed-priority"]', { hasText: title });
  await expect(card.locator('[data-test="managed-status"]')).toHaveText("предложен, на модерации");
  await card.locator('[data-test="decide-open"] button').click();
  await expect(card.locator('[data-test="managed-status"]')).toHaveText("открыт для голосования");
  // Its page shows the place picked on the map.
  await card.getByRole("link", { name: title }).click();
  await expect(page.locator('[data-test="priority-title"]')).toHaveText(title);
  await expect(page.locator('[data-test="map"]').locator(".cluster-marker, .leaflet-marker-icon").first()).toBeVisible();
  await signOut(page);

  // The proposer is told.
  await signIn(page, "citizen@openregion.demo", DEMO_PASSWORD);
  await open(page, "/notifications");
  await expect(page.getByText("Ваше предложение приоритета опубликовано").first()).toBeVisible();
  await signOut(page);
});

test("when the quarter ends its ranking is built once and published as open data", async ({ page }) => {
  await open(page, "/ranks");
  const quarters = await page.locator("#ranks-quarter option").count();
  // The second day of the next quarter (UTC midnight is 03:00 in Krasnodar): this quarter
  // has ended, the next one has not.
  const today = new Date();
  const nextQuarter = Date.UTC(today.getUTCFullYear(), Math.floor(today.getUTCMonth() / 3) * 3 + 3, 2);
  runClock("priorities", "", new Date(nextQuarter));
  // A scheduled job's write reaches anonymous readers within the public cache's window
  // (a second): the page is opened again until the new quarter is offered.
  await expect
    .poll(async () => {
      await open(page, "/ranks");
      return page.locator("#ranks-quarter option").count();
    })
    .toBe(quarters + 1);
  // A second run of the job (another instance, a later tick) builds nothing more.
  runClock("priorities", "", new Date(nextQuarter + 24 * 3600 * 1000));
  await open(page, "/ranks");
  await expect(page.locator("#ranks-quarter option")).toHaveCount(quarters + 1);
  // The newest snapshot: ranks, and the method they were built by.
  await page.locator("#ranks-quarter").selectOption({ index: 1 });
  await page.locator('[data-test="ranks-filter"] button').click();
  await expect(page.locator('[data-test="ranks-table"] [data-test="rank"]').first()).toHaveText("1");
  await page.locator('[data-test="ranks-method"] summary').click();
  await expect(page.locator('[data-test="ranks-method"]')).toContainText("Версия метода: 1");

  const csv = await page.request.get("/api/opendata/2308000007-priority-ranks/rows.csv?limit=100");
  expect(csv.ok()).toBeTruthy();
  const rows = await csv.text();
  expect(rows.split("\n")[0]).toContain("weighted_rank");
  expect(rows).toContain("krasnodar");
});

test("the ranks fit a phone, pass the accessibility check and read in English", { tag: "@mobile" }, async ({ page }) => {
  const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  await open(page, "/ranks");
  await expectAccessible(page);
  expect(await overflow()).toBeLessThanOrEqual(0);
  await page.locator('[data-test="lang-en"]').click();
  await expect(page.locator("h1.page-title")).toHaveText("Priorities");
  await expect(page.locator('[data-test="ranks-provisional"]')).toContainText("provisional");
});

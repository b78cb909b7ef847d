import { expect, test } from "@playwright/test";
import { DEMO_PASSWORD, expectAccessible, open, signIn, stubTiles } from "./helpers";

test.beforeEach(async ({ page }) => {
  await stubTiles(page);
});

test("on a desktop the header is one row, with the participation sections in a group", async ({ page }) => {
  await signIn(page, "moderator@openregion.demo", DEMO_PASSWORD);
  await open(page, "/");
  const header = await page.locator(".site-header").boundingBox();
  // One row of 44 px targets plus the flag ribbon and padding; five rows were 260 px.
  expect(header?.height ?? 0).toBeLessThan(100);
  const nav = page.locator('[data-test="nav"]');
  const tops = await nav.locator(".nav-list > li").evaluateAll((items) =>
    items.map((item) => Math.round(item.getBoundingClientRect().top)),
  );
  expect(new Set(tops).size).toBe(1);
  // No section is hidden under the language switch and the account links.
  const navRight = await nav.locator(".nav-list").evaluate((list) => list.getBoundingClientRect().right);
  const lastRight = await nav.locator(".nav-list > li").last().evaluate((item) => item.getBoundingClientRect().right);
  const actions = await page.locator(".header-actions").boundingBox();
  expect(lastRight).toBeLessThanOrEqual(navRight + 1);
  expect(lastRight).toBeLessThanOrEqual(actions?.x ?? 0);
  await expect(page.locator('[data-test="nav-toggle"]')).toBeHidden();

  const lawmaking = nav.getByRole("link", { name: "Законотворчество" });
  await expect(lawmaking).toBeHidden();
  await nav.locator('[data-test="nav-group"] summary').click();
  await expect(lawmaking).toBeVisible();
  await lawmaking.click();
  await expect(page).toHaveURL(/\/lawmaking$/);
  // Choosing a section closes the group.
  await expect(lawmaking).toBeHidden();
  // The bell is drawn, not a font glyph.
  await expect(page.locator('[data-test="bell"] svg')).toBeVisible();
});

test("on a phone the sections open from the menu button", { tag: "@mobile" }, async ({ page, isMobile }) => {
  test.skip(!isMobile, "the desktop header has no menu button");
  await open(page, "/");
  const problems = page.locator('[data-test="nav"]').getByRole("link", { name: "Проблемы" });
  await expect(problems).toBeHidden();
  const toggle = page.locator('[data-test="nav-toggle"]');
  const box = await toggle.boundingBox();
  expect(box?.height ?? 0).toBeGreaterThanOrEqual(44);
  await toggle.click();
  await expect(problems).toBeVisible();
  await expectAccessible(page);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await problems.click();
  await expect(page).toHaveURL(/\/problems$/);
  await expect(problems).toBeHidden();
});

import { expect, test } from "@playwright/test";
import { DEMO_PASSWORD, expectAccessible, hydrated, open, readMail, signIn, signOut, stubTiles } from "./helpers";

test.beforeEach(async ({ page }) => {
  await stubTiles(page);
});

test("a visitor registers, signs out, signs in again and switches the language", async ({ page }) => {
  const email = `visitor-${Date.now()}@example.ru`;
  await open(page, "/register");
  await expect(page.locator("html")).toHaveAttribute("lang", "ru");

  // Bad input first: every field says what is wrong, in Russian, and nothing is created.
  await page.locator("#field-display_name").fill("А");
  await page.locator("#field-email").fill("not-an-email");
  await page.locator("#field-password").fill("short");
  // Options carry the full official names ("городской округ город-курорт Сочи").
  const sochi = await page.locator("#field-home_municipality_id option", { hasText: "Сочи" }).first().getAttribute("value");
  await page.locator("#field-home_municipality_id").selectOption(sochi ?? "");
  // The browser's own checks would stop the submit; the server's are what we test.
  await page.locator('[data-test="register-form"]').evaluate((form) => form.setAttribute("novalidate", ""));
  await page.locator('[data-test="register-form"] [data-test="submit"]').click();
  await expect(page.locator('[data-test="error-email"]')).toHaveText("Введите адрес почты вида name@example.ru");
  await expect(page.locator('[data-test="error-password"]')).toHaveText("Не короче 8 символов");
  await expect(page.locator('[data-test="error-display_name"]')).toHaveText("Не короче 2 символов");
  await expect(page.locator("#field-email")).toHaveAttribute("aria-invalid", "true");

  await page.locator("#field-display_name").fill("Мария Тестова");
  await page.locator("#field-email").fill(email);
  await page.locator("#field-password").fill("надёжный-пароль");
  await page.locator('[data-test="register-form"] [data-test="submit"]').click();
  await expect(page.locator('[data-test="registration-sent-to"]')).toHaveText(email);
  await expect(page.locator('[data-test="user-name"]')).toHaveCount(0);

  // The account exists once the link mailed to the address is opened and confirmed.
  const confirmation = await readMail(email);
  const link = /https?:\/\/\S+\/register\/confirm\?token=[0-9a-f]{64}/.exec(confirmation.body)?.[0];
  expect(link, confirmation.body).toBeTruthy();
  const target = new URL(link ?? "");
  await open(page, target.pathname + target.search);
  await page.locator('[data-test="confirm-form"] [data-test="submit"]').click();
  await expect(page.locator('[data-test="user-name"]')).toHaveText("Мария Тестова");
  await expect(page).toHaveURL(/\/$/);

  // The link works once: opened again, it says so in words.
  await open(page, target.pathname + target.search);
  await page.locator('[data-test="confirm-form"] [data-test="submit"]').click();
  await expect(page.locator('[data-test="error-token"]')).toContainText("Ссылка недействительна");
  await expect(page.locator('[data-test="form-error"]')).toHaveCount(0);

  await signOut(page);
  await signIn(page, email, "надёжный-пароль");

  await page.locator('[data-test="lang-en"]').click();
  await expect(page.locator('[data-test="nav"]')).toContainText("Problems");
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await page.reload();
  await hydrated(page);
  await expect(page.locator('[data-test="nav"]')).toContainText("Problems");

  // The choice is remembered on the account too: a new browser signs in in English.
  await signOut(page);
  await page.context().clearCookies();
  await open(page, "/");
  await expect(page.locator('[data-test="nav"]')).toContainText("Проблемы");
  await signIn(page, email, "надёжный-пароль");
  await expect(page.locator('[data-test="nav"]')).toContainText("Problems");
});

test("registering an address that has an account answers as for a new one and mails a note", async ({ page }) => {
  await open(page, "/register");
  await page.locator("#field-display_name").fill("Кто-то");
  await page.locator("#field-email").fill("citizen@openregion.demo");
  await page.locator("#field-password").fill("другой-пароль");
  const sochi = await page.locator("#field-home_municipality_id option", { hasText: "Сочи" }).first().getAttribute("value");
  await page.locator("#field-home_municipality_id").selectOption(sochi ?? "");
  await page.locator('[data-test="register-form"] [data-test="submit"]').click();
  await expect(page.locator('[data-test="registration-sent-to"]')).toHaveText("citizen@openregion.demo");
  const note = await readMail("citizen@openregion.demo");
  expect(note.body).toContain("аккаунт с ним уже есть");
  expect(note.body).not.toContain("Кто-то");
});

test("a user chooses which notifications also come by e-mail", async ({ page }) => {
  await signIn(page, "expert@openregion.demo", DEMO_PASSWORD);
  await open(page, "/account");
  const work = page.locator('[data-test="mail-work"]');
  const followed = page.locator('[data-test="mail-followed"]');
  await work.uncheck();
  await followed.check();
  await page.locator('[data-test="mail-save"]').click();
  await expect(page.locator('[data-test="mail-settings-form"] .notice.success')).toHaveText("Настройки писем сохранены");
  await page.reload();
  await hydrated(page);
  await expect(work).not.toBeChecked();
  await expect(followed).toBeChecked();
});

test("a wrong password is refused with a clear message", async ({ page }) => {
  await open(page, "/login");
  await page.locator("#field-email").fill("citizen@openregion.demo");
  await page.locator("#field-password").fill("wrong-password");
  await page.locator('[data-test="login-form"] [data-test="submit"]').click();
  await expect(page.locator('[data-test="form-error"]')).toHaveText("Неверная почта или пароль");
});

test.describe("before the page's script has loaded", () => {
  test.use({ javaScriptEnabled: false });

  test("a refused sign-in comes back to the form with its message, and a right one signs in", async ({ page }) => {
    await page.goto("/login");
    await page.locator("#field-email").fill("citizen@openregion.demo");
    await page.locator("#field-password").fill("wrong-password");
    await page.locator('[data-test="login-form"] [data-test="submit"]').click();
    await expect(page).toHaveURL(/\/login\?/);
    await expect(page.locator('[data-test="form-error"]')).toHaveText("Неверная почта или пароль");

    await page.locator("#field-email").fill("citizen@openregion.demo");
    await page.locator("#field-password").fill("openregion-demo");
    await page.locator('[data-test="login-form"] [data-test="submit"]').click();
    await expect(page.locator('[data-test="form-error"]')).toHaveCount(0);
    // The menu in the header streams in with the script; the session is there already.
    const me = await (await page.request.get("/api/auth/me")).json();
    expect(me.email).toBe("citizen@openregion.demo");
  });
});

test("the home page shows the map with the 44 municipalities' centres", async ({ page }) => {
  await open(page, "/");
  await expect(page.locator('[data-test="municipality-count"]')).toHaveText("44 муниципалитета на карте");
  await expect(page.locator('[data-test="map"] .leaflet-marker-icon')).toHaveCount(44);
  await expect(page.locator('[data-test="map"] .leaflet-marker-icon[title*="Сочи"]')).toHaveCount(1);
});

test("without map tiles the markers still show and a notice explains", async ({ page }) => {
  await page.unrouteAll();
  await stubTiles(page, "fail");
  await open(page, "/municipalities");
  await expect(page.locator('[data-test="map"] .leaflet-marker-icon')).toHaveCount(44);
  await expect(page.locator('[data-test="map-notice"]')).toBeVisible();
  await expect(page.locator('[data-test="municipalities-table"] tbody tr')).toHaveCount(44);
});

test("a moderator sees the management area, a citizen does not", async ({ page }) => {
  await signIn(page, "citizen@openregion.demo", DEMO_PASSWORD);
  await page.locator('[data-test="user-name"]').click();
  await expect(page.locator('[data-test="manage-link"]')).toHaveCount(0);
  await open(page, "/manage");
  await expect(page.locator('[data-test="forbidden"]')).toBeVisible();
  await expect(page.locator('[data-test="forbidden"]')).toContainText("Недостаточно прав");
  await expect(page.locator('[data-test="manage-area"]')).toHaveCount(0);
  await open(page, "/manage/users");
  await expect(page.locator('[data-test="forbidden"]')).toBeVisible();
  await expect(page.locator('[data-test="users-table"]')).toHaveCount(0);
  await signOut(page);

  await signIn(page, "moderator@openregion.demo", DEMO_PASSWORD);
  await page.locator('[data-test="user-name"]').click();
  await page.locator('[data-test="manage-link"]').click();
  await expect(page.locator('[data-test="manage-area"]')).toBeVisible();
  await expect(page.locator(".manage-nav")).toContainText("Журнал действий");
  await expect(page.locator(".manage-nav")).not.toContainText("Пользователи и роли");
});

test("an admin grants a role and the grant is in the audit log", async ({ page }) => {
  await signIn(page, "admin@openregion.demo", DEMO_PASSWORD);
  await open(page, "/manage/users");
  await page.locator('[data-test="user-search"]').fill("expert@openregion.demo");
  const row = page.locator('[data-test="user-row"]', { hasText: "expert@openregion.demo" });
  await expect(row).toHaveCount(1);
  await row.locator('[data-test="grant-role"]').selectOption("moderator");
  await row.locator('[data-test="grant"]').click();
  await expect(row.locator(".badge.role-moderator")).toBeVisible();
  await open(page, "/manage/audit");
  await expect(page.locator('[data-test="audit-table"]')).toContainText("role.grant");
});

test("an admin corrects a population: a bad figure is refused and stays in its field, a good one with digit groups is saved with its source and audited", async ({
  page,
}) => {
  await signIn(page, "admin@openregion.demo", DEMO_PASSWORD);
  await open(page, "/manage/municipalities");
  const row = page.locator('[data-test="population-row"]').nth(1);
  const population = row.locator('input[name="input[population]"]');
  const source = row.locator('input[name="input[source]"]');
  const original = await population.inputValue();
  expect(original).toMatch(/^\d{4,}$/);

  await population.fill("много");
  await row.getByRole("button", { name: "Сохранить" }).click();
  await expect(page.locator('[data-test="error-population"]')).toBeVisible();
  await expect(population).toHaveValue("много");
  await expect(page.locator('[data-test="population-saved"]')).toHaveCount(0);

  // The same figure written with a digit group, and a new source: the weighted ranks of
  // the other tests keep their input.
  const grouped = `${original.slice(0, -3)} ${original.slice(-3)}`;
  const cited = `Росстат, оценка ${Date.now()}`;
  await population.fill(grouped);
  await source.fill(cited);
  await row.getByRole("button", { name: "Сохранить" }).click();
  await expect(page.locator('[data-test="population-saved"]')).toBeVisible();
  await expect(page.locator('[data-test="error-population"]')).toHaveCount(0);
  await open(page, "/manage/municipalities");
  await expect(row.locator('input[name="input[population]"]')).toHaveValue(original);
  await expect(row.locator('input[name="input[source]"]')).toHaveValue(cited);
  await open(page, "/manage/audit");
  await expect(page.locator('[data-test="audit-table"]')).toContainText("municipality.population");
});

test("the offline shell loads with the network cut", async ({ page, context }) => {
  await open(page, "/");
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  // A reload lets the now-active worker control the page and cache what it fetches.
  await page.reload();
  await hydrated(page);
  await context.setOffline(true);
  await page.reload();
  await expect(page.locator("h1")).toContainText("Открытый регион");
  await expect(page.locator('[data-test="nav"]')).toBeVisible();
  await context.setOffline(false);
});

test("Chromium considers the app installable", async ({ page }) => {
  await open(page, "/");
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  const manifest = await page.request.get("/manifest.webmanifest");
  expect(manifest.ok()).toBeTruthy();
  // The icon's shortcuts open the two things a phone user comes for, and both pages exist.
  const shortcuts: { url: string }[] = (await manifest.json()).shortcuts;
  expect(shortcuts.map((shortcut) => shortcut.url)).toEqual(["/problems/new", "/problems/mine"]);
  for (const { url } of shortcuts) {
    // A guest may be asked to sign in there; the page itself exists.
    const status = (await page.request.get(url)).status();
    expect(status, url).not.toBe(404);
    expect(status, url).toBeLessThan(500);
  }
  await expect(page.locator('[data-test="quick-report"]')).toHaveAttribute("href", "/problems/new");
  await expect(page.locator('[data-test="quick-mine"]')).toHaveAttribute("href", "/problems/mine");
  const client = await page.context().newCDPSession(page);
  const { installabilityErrors } = await client.send("Page.getInstallabilityErrors");
  // Playwright's contexts are incognito-like; that one error is about the test browser, not the app.
  const errors = installabilityErrors.map((e: { errorId: string }) => e.errorId).filter((id: string) => id !== "in-incognito");
  expect(errors).toEqual([]);
});

test("pages hydrate under their Content-Security-Policy without a single violation", async ({ page }) => {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  for (const path of ["/", "/problems", "/constructions", "/opendata", "/opendata/api", "/no-such-page"]) {
    const response = await page.goto(path);
    expect(response?.headers()["content-security-policy"], path).toMatch(/script-src 'self' 'nonce-[^']+'/);
    await hydrated(page);
  }
  // A client-side navigation after hydration still works under the policy.
  await page.locator('a[href="/problems"]').first().click();
  await expect(page).toHaveURL(/\/problems$/);
  expect(violations).toEqual([]);
});

test("unknown pages are a translated 404", async ({ page }) => {
  const response = await page.goto("/no-such-page");
  expect(response?.status()).toBe(404);
  await expect(page.locator('[data-test="error-page"]')).toContainText("Страница не найдена");
});

for (const path of ["/", "/municipalities", "/login", "/register", "/problems", "/no-such-page"]) {
  test(`no serious accessibility issue on ${path}`, async ({ page }) => {
    await page.goto(path);
    await hydrated(page);
    await expectAccessible(page);
  });
}

// One test per page: the eight audits together took 34 s of the 60 s budget on a quiet
// machine, and past it on a busy CI runner.
for (const path of ["/manage", "/manage/users", "/manage/departments", "/manage/themes", "/manage/routing", "/manage/municipalities", "/manage/audit", "/account"]) {
  test(`no serious accessibility issue in the management area on ${path}`, async ({ page }) => {
    await signIn(page, "admin@openregion.demo", DEMO_PASSWORD);
    await open(page, path);
    await expect(page.locator("h1").first()).toBeVisible();
    await expectAccessible(page);
  });
}

test("an admin chooses a department's supervisor, and a loop is refused", async ({ page }) => {
  const control = "Управление контроля администрации губернатора Краснодарского края";
  const krasnodar = "Администрация муниципального образования городской округ город Краснодар";
  await signIn(page, "admin@openregion.demo", DEMO_PASSWORD);
  await open(page, "/manage/departments");
  const krasnodarRow = page.locator('[data-test="department-admin-krasnodar"]');
  await expect(krasnodarRow.locator('[data-test="department-supervisor"]')).toHaveText(control);

  // The control office cannot go under a department it supervises.
  await page.locator('[data-test="department-governor-control"]').getByRole("button", { name: "Изменить" }).click();
  const form = page.locator('[data-test="supervisor-form"]');
  await form.locator("#field-supervisor_id").selectOption({ label: krasnodar });
  await form.locator('[data-test="submit"]').click();
  await expect(form.locator('[data-test="error-supervisor_id"]')).toContainText("ходили бы по кругу");
  await expectAccessible(page);

  await krasnodarRow.getByRole("button", { name: "Изменить" }).click();
  await form.locator("#field-supervisor_id").selectOption("");
  await form.locator('[data-test="submit"]').click();
  await expect(krasnodarRow.locator('[data-test="department-supervisor"]')).toHaveText("");
  // Back as the demo data has it, for the tests that follow.
  await krasnodarRow.getByRole("button", { name: "Изменить" }).click();
  await form.locator("#field-supervisor_id").selectOption({ label: control });
  await form.locator('[data-test="submit"]').click();
  await expect(krasnodarRow.locator('[data-test="department-supervisor"]')).toHaveText(control);
});

test("the phone layout fits the screen and keeps the navigation reachable", { tag: "@mobile" }, async ({ page }) => {
  await open(page, "/");
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await expect(page.locator('[data-test="nav"]')).toBeVisible();
  await expect(page.locator('[data-test="lang-en"]')).toBeVisible();
  const box = await page.locator('[data-test="lang-en"]').boundingBox();
  expect(box?.height ?? 0).toBeGreaterThanOrEqual(44);
  await expectAccessible(page);
});

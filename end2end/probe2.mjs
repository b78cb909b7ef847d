import { chromium } from "@playwright/test";
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless","--no-sandbox","--disable-gpu","--disable-background-networking"] });
const context = await browser.newContext();
const page = await context.newPage();
page.on("console", (m) => { if (!m.text().includes("Failed to load")) console.log("console:", m.type(), m.text().slice(0, 700)); });
await page.route(/tile\.openstreetmap\.org/, (r) => r.abort());
await page.request.post("http://127.0.0.1:3010/api/auth/login", { form: { email: "admin@openregion.demo", password: "openregion-demo" }, headers: { origin: "http://127.0.0.1:3010" } });
for (const path of process.argv.slice(2)) {
  await page.goto("http://127.0.0.1:3010" + path);
  await page.waitForTimeout(4000);
  console.log(path, "hydrated:", await page.evaluate(() => document.body.hasAttribute("data-hydrated")));
}
await browser.close();

import { chromium } from "@playwright/test";
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless","--no-sandbox","--disable-gpu","--disable-background-networking"] });
const context = await browser.newContext();
const page = await context.newPage();
page.on("console", (m) => { if (m.type() !== "error" || !m.text().includes("Failed to load")) console.log("console:", m.type(), m.text().slice(0, 300)); });
page.on("pageerror", (e) => console.log("pageerror:", e.message.slice(0, 300)));
const who = process.argv[2];
if (who !== "guest") {
const r = await page.request.post("http://127.0.0.1:3010/api/auth/login", { form: { email: who + "@openregion.demo", password: "openregion-demo" }, headers: { origin: "http://127.0.0.1:3010" } });
console.log("login", r.status());
}
for (const path of process.argv.slice(3)) {
  console.log("==", path);
  await page.goto("http://127.0.0.1:3010" + path);
  await page.waitForTimeout(2500);
  console.log("hydrated:", await page.evaluate(() => document.body.hasAttribute("data-hydrated")));
}
await browser.close();

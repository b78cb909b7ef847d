// What a first visit downloads and how long it takes to become interactive (issue 13), a
// measurement, not a test: for each page, a fresh browser context (empty caches, no service
// worker) opens it and records every script and WebAssembly module as transferred (the
// encoded bytes on the wire) and as files (decoded), and the time from navigation to
// `body[data-hydrated]`, unthrottled on loopback and under the network profiles below.
// Run by scripts/measure-first-visits, which starts the release server.
//
// Usage: node first-visits.mjs BASE_URL [RUNS]
import { chromium } from "@playwright/test";

const base = process.argv[2];
const runs = Number(process.argv[3] ?? 5);
if (!base) throw new Error("usage: node first-visits.mjs BASE_URL [RUNS]");

// Lighthouse's mobile profile ("slow 4G": 150 ms round trip, 1.6 Mbit/s down, 750 kbit/s
// up) and a good 4G connection (40 ms, 9 Mbit/s, 1.5 Mbit/s). The CPU is not slowed.
const PROFILES = {
  loopback: null,
  "4G good (40 ms, 9 Mbit/s)": { latency: 40, downloadThroughput: (9_000 * 1024) / 8, uploadThroughput: (1_500 * 1024) / 8 },
  "4G slow (150 ms, 1.6 Mbit/s)": { latency: 150, downloadThroughput: (1_638.4 * 1024) / 8, uploadThroughput: (750 * 1024) / 8 },
};

const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking"],
});

/** The demo admin's session cookie, for the management area. */
async function adminCookie() {
  const response = await fetch(`${base}/api/auth/login`, {
    method: "POST",
    headers: { Origin: base, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ email: "admin@openregion.demo", password: "openregion-demo" }),
    redirect: "manual",
  });
  const cookie = response.headers.getSetCookie().find((line) => line.startsWith("or_session="));
  if (!cookie) throw new Error(`the demo admin could not sign in (${response.status})`);
  const [name, value] = cookie.split(";")[0].split("=");
  return { name, value, url: base };
}

/** A published problem's and a dataset's address, from the public APIs. */
async function addresses() {
  const problems = await (await fetch(`${base}/open311/v2/requests.json`)).json();
  const datasets = await (await fetch(`${base}/api/3/action/package_list`)).json();
  return {
    problem: `/problems/${problems[0].service_request_id}`,
    dataset: `/opendata/${datasets.result[0]}`,
  };
}

/** One first visit: the code it downloads and the milliseconds until it is interactive. */
async function visit(path, profile, cookie) {
  const context = await browser.newContext({ serviceWorkers: "block", locale: "ru-RU" });
  if (cookie) await context.addCookies([cookie]);
  const page = await context.newPage();
  // Map tiles are not the app's bytes, and the measurement must not reach the network.
  await page.route(/tile\.openstreetmap\.org/, (route) => route.abort());
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  if (profile) await cdp.send("Network.emulateNetworkConditions", { offline: false, ...profile });
  const urls = new Map();
  const code = [];
  cdp.on("Network.responseReceived", ({ requestId, response }) => urls.set(requestId, response));
  cdp.on("Network.loadingFinished", ({ requestId, encodedDataLength }) => {
    const response = urls.get(requestId);
    if (!response) return;
    const path = new URL(response.url).pathname;
    if (/\.(js|wasm)$/.test(path)) code.push({ path, wire: encodedDataLength, encoding: response.headers["content-encoding"] ?? "-" });
  });
  const started = Date.now();
  await page.goto(base + path);
  await page.waitForSelector("body[data-hydrated]", { state: "attached", timeout: 120_000 });
  const interactive = Date.now() - started;
  await page.waitForLoadState("networkidle");
  const files = await page.evaluate(() =>
    performance
      .getEntriesByType("resource")
      .filter((entry) => /\.(js|wasm)$/.test(new URL(entry.name).pathname))
      .reduce((sum, entry) => sum + entry.decodedBodySize, 0),
  );
  await context.close();
  return { interactive, code, files };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const { problem, dataset } = await addresses();
const cookie = await adminCookie();
const pages = [
  ["/", null],
  [problem, null],
  ["/constructions", null],
  [dataset, null],
  ["/manage", cookie],
];

console.log(`first visits to ${base}, ${runs} runs each (median)`);
console.log("page | files | JS+WASM as files | as transferred | encodings | interactive: " + Object.keys(PROFILES).join(" | "));
for (const [path, pageCookie] of pages) {
  const times = {};
  let sample;
  for (const [name, profile] of Object.entries(PROFILES)) {
    const measured = [];
    for (let run = 0; run < runs; run += 1) {
      const result = await visit(path, profile, pageCookie);
      measured.push(result.interactive);
      sample ??= result;
    }
    times[name] = median(measured);
  }
  const wire = sample.code.reduce((sum, file) => sum + file.wire, 0);
  const encodings = [...new Set(sample.code.map((file) => file.encoding))].join(",");
  console.log(
    `${path} | ${sample.code.length} | ${sample.files} | ${wire} | ${encodings} | ` +
      Object.values(times).map((ms) => `${ms} ms`).join(" | "),
  );
}
await browser.close();

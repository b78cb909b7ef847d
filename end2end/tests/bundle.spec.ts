import { expect, test, type Page } from "@playwright/test";
import { DEMO_PASSWORD, open, signIn, stubTiles } from "./helpers";

// The code a visit downloads (issue 13): the browser bundle is cut at every page (lazy
// routes), so a page fetches the shell's module and its own chunks, nothing else.

/**
 * The most script and WebAssembly a first visit to `/` may download, counted in gzip (the
 * issue's measure; browsers that accept Brotli get the smaller Brotli copies). Issue 13
 * asks for 350 KB; the shell's module alone (leptos, the router, the header, the texts)
 * is about 460 KB in gzip, so this is a ratchet at today's size (624,015 bytes with the
 * header's messages link and the social network's texts; 589,167 before them; 3.7 MB
 * before the pages were cut out): it fails when the first visit grows, and comes down as
 * the shell does.
 */
const FIRST_VISIT_GZIP_BUDGET = 630_000;

type Download = { path: string; bytes: number };

/** Records the scripts and modules the page downloads, with their transferred sizes. */
function recordCode(page: Page): () => Promise<Download[]> {
  const pending: Promise<Download>[] = [];
  page.on("requestfinished", (request) => {
    const path = new URL(request.url()).pathname;
    if (/\.(js|wasm)$/.test(path)) {
      pending.push(request.sizes().then((sizes) => ({ path, bytes: sizes.responseBodySize })));
    }
  });
  return () => Promise.all(pending);
}

/** The chunk files (`split_…`, `chunk_…`) among the downloads. */
function chunkFiles(downloads: Download[]): string[] {
  return downloads
    .map((download) => download.path.split("/").pop() ?? "")
    .filter((file) => /^(split_|chunk_).*\.wasm$/.test(file))
    .map((file) => file.replace(/\.wasm$/, ""));
}

/** The chunks the split manifest lists for the page group whose name starts with `group`. */
async function chunksOf(page: Page, group: string): Promise<string[]> {
  const manifest: Record<string, string[]> = await (await page.request.get("/pkg/__wasm_split_manifest.json")).json();
  const name = Object.keys(manifest).find((key) => key.startsWith(group));
  expect(name, `a split point for ${group} in ${Object.keys(manifest).join(", ")}`).toBeDefined();
  return manifest[name as string];
}

test("a first visit to / downloads the shell and the home pages' chunks only, within the budget @mobile", async ({ page }) => {
  await stubTiles(page);
  const downloads = recordCode(page);
  await open(page, "/");
  await page.waitForLoadState("networkidle");
  const code = await downloads();

  const home = await chunksOf(page, "home_pages_");
  const fetched = chunkFiles(code);
  expect(fetched.length, "the home pages' chunks are loaded").toBeGreaterThan(0);
  for (const chunk of fetched) {
    expect(home, `${chunk} is one of the home pages' chunks`).toContain(chunk);
  }

  // What the browser was sent (Brotli, as Chromium accepts it), and the same files in gzip.
  const sent = code.reduce((sum, download) => sum + download.bytes, 0);
  const gzipped = await Promise.all(
    code.map(async (download) => {
      const response = await page.request.get(download.path, { headers: { "accept-encoding": "gzip" } });
      expect(response.headers()["content-encoding"], `${download.path} has a gzip copy`).toBe("gzip");
      return { ...download, gzip: Number(response.headers()["content-length"]) };
    }),
  );
  const gzip = gzipped.reduce((sum, download) => sum + download.gzip, 0);
  const listing = gzipped.map((download) => `${download.path} ${download.bytes} sent, ${download.gzip} gzip`).join("\n");
  console.log(`first visit to /: ${code.length} files, ${sent} bytes of JS and WASM sent, ${gzip} in gzip\n${listing}`);
  expect(gzip, listing).toBeLessThanOrEqual(FIRST_VISIT_GZIP_BUDGET);
});

test("a page without a map does not download Leaflet; the first map loads it @mobile", async ({ page }) => {
  await stubTiles(page);
  const downloads = recordCode(page);
  await open(page, "/login");
  await page.waitForLoadState("networkidle");
  expect((await downloads()).map((download) => download.path)).not.toContain("/vendor/leaflet/leaflet.js");
  // Client-side navigation to a page with a map: Leaflet arrives and draws it.
  await page.locator('a[href="/municipalities"]').first().click();
  await expect(page.locator('[data-test="map"] .leaflet-marker-icon')).toHaveCount(44);
  expect((await downloads()).map((download) => download.path)).toContain("/vendor/leaflet/leaflet.js");
});

test("the management area's code is fetched only when it is opened, and the page works", async ({ page }) => {
  await stubTiles(page);
  await signIn(page, "admin@openregion.demo", DEMO_PASSWORD);
  const downloads = recordCode(page);
  await open(page, "/");
  await page.waitForLoadState("networkidle");
  const manage = await chunksOf(page, "manage_pages_");
  const ownChunk = manage.find((chunk) => chunk.startsWith("split_"));
  expect(chunkFiles(await downloads()), "nothing of the management area on /").not.toContain(ownChunk);

  // Client-side navigation: the router loads the page's chunks, then renders it.
  await page.locator('[data-test="user-name"]').click();
  await page.locator('[data-test="manage-link"]').click();
  await expect(page.locator('[data-test="manage-area"]')).toBeVisible();
  await page.locator(".manage-nav a", { hasText: "Пользователи и роли" }).click();
  await expect(page).toHaveURL(/\/manage\/users$/);
  await page.locator('[data-test="user-search"]').fill("expert@openregion.demo");
  await expect(page.locator('[data-test="user-row"]', { hasText: "expert@openregion.demo" })).toHaveCount(1);
  expect(chunkFiles(await downloads())).toContain(ownChunk);
});

import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";

/** The demo password of every seeded account (see README). */
export const DEMO_PASSWORD = "openregion-demo";

/** A 1x1 transparent PNG, served for map tiles so tests never reach the network. */
const BLANK_TILE = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=",
  "base64",
);

/** Answers every tile request with a blank tile (or fails it, to test the offline notice). */
export async function stubTiles(page: Page, mode: "blank" | "fail" = "blank"): Promise<void> {
  await page.route(/tile\.openstreetmap\.org/, (route) =>
    mode === "blank"
      ? route.fulfill({ status: 200, contentType: "image/png", body: BLANK_TILE })
      : route.abort("internetdisconnected"),
  );
}

/** What each page's scripts reported as errors, so a page that never hydrates says why. */
const scriptErrors = new WeakMap<Page, string[]>();

/** How each page's last document arrived (status, policy, cache), for the same reason. */
const lastDocument = new WeakMap<Page, string>();

/** Starts recording the page's script errors and documents (once per page). */
export function watchScriptErrors(page: Page): void {
  if (scriptErrors.has(page)) return;
  const errors: string[] = [];
  scriptErrors.set(page, errors);
  page.on("pageerror", (error) => errors.push(`${page.url()}: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(`${page.url()}: ${message.text()}`);
  });
  page.on("response", async (response) => {
    const request = response.request();
    if (!request.isNavigationRequest() || request.frame() !== page.mainFrame()) return;
    const headers = await response.allHeaders().catch(() => ({}) as Record<string, string>);
    lastDocument.set(
      page,
      `${response.status()} ${response.url()}` +
        ` (service worker: ${response.fromServiceWorker()}, x-cache: ${headers["x-cache"] ?? "-"},` +
        ` etag: ${headers["etag"] ?? "-"}, policy: ${headers["content-security-policy"] ?? "-"})`,
    );
  });
}

/**
 * Waits until the page is hydrated (interactive). Half the test's time at most: when the
 * page never hydrates (a panic in the browser), the failure then names the page and the
 * script errors instead of running out the test's clock.
 */
export async function hydrated(page: Page): Promise<void> {
  watchScriptErrors(page);
  try {
    await page.waitForSelector("body[data-hydrated]", { state: "attached", timeout: 30_000 });
  } catch (cause) {
    const errors = scriptErrors.get(page) ?? [];
    // Whether the page's inline scripts carry a nonce (the property keeps it; the
    // attribute is hidden once parsed), to tell a render without one from a lost policy.
    const nonces = await page
      .evaluate(() => Array.from(document.scripts, (script) => (script.src ? "src" : script.nonce ? "nonce" : "none")).join(","))
      .catch(() => "(unreadable)");
    const arrival = `${lastDocument.get(page) ?? "(not seen)"}, scripts: ${nonces}`;
    throw new Error(
      `${page.url()} did not hydrate; its document: ${arrival}; script errors:\n${errors.join("\n") || "(none)"}`,
      { cause },
    );
  }
}

/** Opens `path` and waits until the page is hydrated (interactive). */
export async function open(page: Page, path: string): Promise<void> {
  watchScriptErrors(page);
  await page.goto(path);
  await hydrated(page);
}

/** Signs in through the form and waits for the header to show the user. */
export async function signIn(page: Page, email: string, password: string): Promise<void> {
  await open(page, "/login");
  await page.locator("#field-email").fill(email);
  await page.locator("#field-password").fill(password);
  await page.locator('[data-test="login-form"] [data-test="submit"]').click();
  await expect(page.locator('[data-test="user-name"]')).toBeVisible();
  await expect(page).toHaveURL(/\/$/);
}

/** Signs out through the account menu. */
export async function signOut(page: Page): Promise<void> {
  await page.locator('[data-test="user-name"]').click();
  await page.locator('[data-test="logout"]').click();
  await expect(page.locator('[data-test="login-link"]')).toBeVisible();
}

/** Fails on any serious or critical axe-core finding on the current page. */
export async function expectAccessible(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const severe = results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.impact}: ${v.id} (${v.help}) at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  expect(severe, `${page.url()}\n${severe.join("\n")}`).toEqual([]);
}

/** A mail the server sent, as its recipient reads it. */
export interface Mail {
  subject: string;
  body: string;
}

/**
 * The newest mail to `to`, waiting up to 15 s for the outbox to deliver it. Without an
 * SMTP relay the server writes each message as an .eml file into its mail directory;
 * scripts/test passes that directory as MAIL_DIR.
 */
export async function readMail(to: string, subjectIncludes = ""): Promise<Mail> {
  const directory = process.env.MAIL_DIR;
  if (!directory) throw new Error("MAIL_DIR is not set (scripts/test sets it)");
  for (let attempt = 0; attempt < 75; attempt++) {
    const mails = emlFiles(directory)
      .map((file) => ({ modified: statSync(file).mtimeMs, mail: parseEml(readFileSync(file, "utf8")) }))
      .filter(({ mail }) => mail.to.toLowerCase() === to.toLowerCase() && mail.subject.includes(subjectIncludes))
      .sort((a, b) => b.modified - a.modified);
    if (mails.length > 0) return mails[0].mail;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`no mail to ${to} in ${directory}`);
}

function emlFiles(directory: string): string[] {
  try {
    return readdirSync(directory)
      .filter((name) => name.endsWith(".eml"))
      .map((name) => join(directory, name));
  } catch {
    return [];
  }
}

/** Headers, and the body decoded from its transfer encoding (base64, quoted-printable or none). */
function parseEml(text: string): Mail & { to: string } {
  const split = text.indexOf("\r\n\r\n");
  const head = text.slice(0, split).replace(/\r\n[ \t]+/g, " ");
  const raw = text.slice(split + 4);
  const header = (name: string) => new RegExp(`^${name}:\\s*(.*)$`, "im").exec(head)?.[1].trim() ?? "";
  const encoding = header("Content-Transfer-Encoding").toLowerCase();
  const body =
    encoding === "base64"
      ? Buffer.from(raw.replace(/\s+/g, ""), "base64").toString("utf8")
      : encoding === "quoted-printable"
        ? Buffer.from(
            raw.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/gi, (_, hex) => String.fromCharCode(parseInt(hex, 16))),
            "latin1",
          ).toString("utf8")
        : raw;
  return { to: header("To").replace(/^.*<|>$/g, ""), subject: decodeWords(header("Subject")), body };
}

/** RFC 2047 encoded words (=?utf-8?b?...?= and =?utf-8?q?...?=) in a header. */
function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, "?==?")
    .replace(/=\?utf-8\?([bq])\?([^?]*)\?=/gi, (_, kind: string, text: string) =>
      kind.toLowerCase() === "b"
        ? Buffer.from(text, "base64").toString("utf8")
        : Buffer.from(
            text.replace(/_/g, " ").replace(/=([0-9A-F]{2})/gi, (__, hex) => String.fromCharCode(parseInt(hex, 16))),
            "latin1",
          ).toString("utf8"),
    );
}

/** A tiny valid PNG, as a phone would upload a photo. */
export const PHOTO = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=",
  "base64",
);

/** The value of the theme option whose text contains `name`. */
export async function themeValue(page: Page, name: string): Promise<string> {
  const value = await page.locator("#field-theme_id option", { hasText: name }).first().getAttribute("value");
  expect(value).toBeTruthy();
  return value ?? "";
}

/** Fills and submits the report form at a typed point; returns the new problem's URL. */
export async function report(page: Page, theme: string, lat: string, lon: string, title: string, withPhoto = false): Promise<string> {
  await open(page, "/problems/new");
  await page.locator("#field-theme_id").selectOption(await themeValue(page, theme));
  await page.locator("#field-lat").fill(lat);
  await page.locator("#field-lat").dispatchEvent("change");
  await page.locator("#field-lon").fill(lon);
  await page.locator("#field-lon").dispatchEvent("change");
  await page.locator("#field-input-address").fill("ул. Красная, 122");
  await page.locator("#field-input-title").fill(title);
  await page.locator("#field-input-description").fill("Подробное описание проблемы для проверки.");
  if (withPhoto) {
    // A file that is not an image is refused with a clear message; a real one is kept.
    await page.locator('[data-test="photo-input"]').setInputFiles({ name: "notes.txt", mimeType: "text/plain", buffer: Buffer.from("not a photo") });
    await expect(page.locator('[data-test="error-photo"]')).toHaveText("Это не изображение: подойдут фото в JPEG, PNG или WebP");
    await page.locator('[data-test="photo-input"]').setInputFiles({ name: "photo.png", mimeType: "image/png", buffer: PHOTO });
    await expect(page.locator('[data-test="photo-preview"]')).toHaveCount(1);
  }
  await page.locator('[data-test="submit-problem"]').click();
  await expect(page).toHaveURL(/\/problems\/\d+$/);
  await expect(page.locator('[data-test="problem-title"]')).toHaveText(title);
  return page.url();
}

/** Downloads what a link points to, with the page's cookies. */
export async function download(page: Page, selector: string): Promise<Buffer> {
  const href = await page.locator(selector).getAttribute("href");
  expect(href).toBeTruthy();
  const response = await page.request.get(href ?? "");
  expect(response.status()).toBe(200);
  return Buffer.from(await response.body());
}

/** Extracts the text of every page of a PDF. */
export async function pdfText(bytes: Buffer): Promise<string> {
  const pdfjs = await import("pdfjs-dist/legacy/build/pdf.mjs");
  const document = await pdfjs.getDocument({ data: new Uint8Array(bytes) }).promise;
  const parts: string[] = [];
  for (let number = 1; number <= document.numPages; number += 1) {
    const content = await (await document.getPage(number)).getTextContent();
    parts.push(content.items.map((item) => ("str" in item ? item.str : "")).join(" "));
  }
  return parts.join("\n");
}

/** CRC-32 (IEEE) of `bytes`, as a zip entry records it. */
function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** A zip archive of `files`, stored without compression (all a .docx reader needs). */
function storedZip(files: [string, string][]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  const dosDate = ((2026 - 1980) << 9) | (1 << 5) | 1;
  for (const [name, content] of files) {
    const nameBytes = Buffer.from(name, "utf8");
    const data = Buffer.from(content, "utf8");
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(dosDate, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(dosDate, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, data);
    centrals.push(central, nameBytes);
    offset += local.length + nameBytes.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** A Word document (.docx) whose body is `paragraphs`, one run each. */
export function docx(paragraphs: string[]): Buffer {
  const escape = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  const body = paragraphs.map((text) => `<w:p><w:r><w:t xml:space="preserve">${escape(text)}</w:t></w:r></w:p>`).join("");
  return storedZip([
    [
      "[Content_Types].xml",
      '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
    ],
    [
      "word/document.xml",
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${body}</w:body></w:document>`,
    ],
  ]);
}

/**
 * The test clock: runs the scheduler's clocks of one initiative or problem as of `at`
 * through `server clock`, with the database of the server under test (scripts/test exports
 * SERVER_BIN and DATABASE_URL). Only that subject moves; the shared data stays. For
 * "services" (no id) it builds the service rank snapshots due at `at`.
 */
export function runClock(kind: "initiative" | "problem" | "services" | "priorities", id: string, at: Date): void {
  const server = process.env.SERVER_BIN;
  if (!server || !process.env.DATABASE_URL) {
    throw new Error("SERVER_BIN and DATABASE_URL must name the server under test and its database");
  }
  const subject = kind === "services" || kind === "priorities" ? [`--${kind}`] : [`--${kind}`, id];
  execFileSync(server, ["clock", ...subject, "--at", at.toISOString()], { stdio: "pipe" });
}

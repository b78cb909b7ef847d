import { defineConfig } from "@playwright/test";

// Runs against an already running server (scripts/test starts one on BASE_URL).
// The browser is Debian's chromium: Playwright's own download is disabled on purpose.
export default defineConfig({
  testDir: "./tests",
  // One worker: the machine has 2 cores and the server under test needs one of them;
  // tests also share one seeded database, so order must not matter.
  workers: 1,
  fullyParallel: false,
  // A flaky test is a bug to fix, not to retry.
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: "list",
  timeout: 60_000,
  use: {
    baseURL: process.env.BASE_URL ?? "http://127.0.0.1:3000",
    // The interface is Russian; dates and numbers are formatted for this locale.
    locale: "ru-RU",
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: "/usr/bin/chromium",
      // No sandbox: CI runs as root. The rest keeps chromium from reaching the network
      // on its own (updates, sync, QUIC probes), which is slow or fails offline.
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  projects: [
    {
      name: "chromium",
      use: { browserName: "chromium", viewport: { width: 1280, height: 800 } },
    },
    {
      // Phone layout; only tests tagged @mobile run here to keep the suite short.
      name: "mobile",
      grep: /@mobile/,
      use: {
        browserName: "chromium",
        viewport: { width: 390, height: 844 },
        deviceScaleFactor: 3,
        isMobile: true,
        hasTouch: true,
      },
    },
  ],
});

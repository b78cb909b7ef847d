import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test } from "@playwright/test";
import { DEMO_PASSWORD, open, report, signIn, signOut, stubTiles } from "./helpers";

test.beforeEach(async ({ page }) => {
  await stubTiles(page);
});

/** One delivery as the department's system received it. */
interface Delivery {
  kind: string;
  problemId: number;
  signed: boolean;
  answerStatus?: number;
}

/**
 * A department's document-flow system on loopback: it checks each delivery's signature
 * the way scripts/webhook-receiver.py does and answers a routed problem through the
 * answers API with its token.
 */
function departmentSystem(secret: string, baseURL: string, token: () => string, answer: string) {
  const deliveries: Delivery[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", async () => {
      const body = Buffer.concat(chunks);
      const header = String(request.headers["x-openregion-signature"] ?? "");
      const parts = Object.fromEntries(header.split(",").map((part) => part.split("=", 2)));
      const expected = createHmac("sha256", secret).update(`${parts.t}.`).update(body).digest();
      const given = Buffer.from(String(parts.v1 ?? ""), "hex");
      const signed = given.length === expected.length && timingSafeEqual(given, expected);
      const event = JSON.parse(body.toString("utf8"));
      const delivery: Delivery = { kind: event.kind, problemId: event.data?.problem_id, signed };
      if (signed && event.kind === "problem.routed") {
        const answered = await fetch(`${baseURL}/api/v1/department/problems/${delivery.problemId}/answer`, {
          method: "POST",
          headers: { Authorization: `Bearer ${token()}`, "Content-Type": "application/json" },
          body: JSON.stringify({ text: answer }),
        });
        delivery.answerStatus = answered.status;
      }
      deliveries.push(delivery);
      response.writeHead(signed ? 204 : 401).end();
    });
  });
  return { server, deliveries };
}

test("an admin connects a department's system: a routed report reaches it signed, and its answer through the API is on the problem page", async ({
  page,
  baseURL,
}) => {
  const secret = `e2e-webhook-secret-${Date.now()}`;
  const answer = `Заявка зарегистрирована в СЭД, бригада выедет завтра (${Date.now()}).`;
  let token = "";
  const system = departmentSystem(secret, baseURL ?? "", () => token, answer);
  await new Promise<void>((resolve) => system.server.listen(0, "127.0.0.1", resolve));
  const port = (system.server.address() as AddressInfo).port;
  try {
    await signIn(page, "admin@openregion.demo", DEMO_PASSWORD);
    await open(page, "/manage/departments");
    await page.locator('[data-test="department-admin-krasnodar"] [data-test="integration-link"]').click();
    await expect(page.locator('[data-test="integration-department"]')).toContainText("Краснодар");
    const form = page.locator('[data-test="webhook-form"]');
    // A bad address and a short secret are refused field by field.
    await form.locator("#field-url").fill("ftp://sed.example");
    await form.locator("#field-secret").fill("short");
    await form.evaluate((element) => element.setAttribute("novalidate", ""));
    await form.locator('[data-test="submit"]').click();
    await expect(form.locator('[data-test="error-url"]')).toBeVisible();
    await expect(form.locator('[data-test="error-secret"]')).toHaveText("Не короче 16 символов");
    await form.locator("#field-url").fill(`http://127.0.0.1:${port}/hook`);
    await form.locator("#field-secret").fill(secret);
    await form.locator('input[name="active"]').check();
    await form.locator('[data-test="submit"]').click();
    await expect(form.locator('[data-test="error-url"]')).toHaveCount(0);
    await expect(form.locator("#field-url")).toHaveValue(`http://127.0.0.1:${port}/hook`);

    const tokens = page.locator('[data-test="token-form"]');
    await tokens.locator("#field-name").fill("СЭД «Дело» e2e");
    await tokens.locator('[data-test="issue-token"]').click();
    await expect(page.locator('[data-test="issued-token"]')).toHaveText(/^[0-9a-f]{64}$/);
    token = (await page.locator('[data-test="issued-token"]').textContent()) ?? "";
    await expect(page.locator('[data-test="token"]', { hasText: "СЭД «Дело» e2e" })).toContainText("Действует");
    await signOut(page);

    const title = `Яма у остановки ${Date.now()}`;
    await signIn(page, "citizen@openregion.demo", DEMO_PASSWORD);
    const url = await report(page, "Уличное освещение", "45.0355", "38,9753", title);
    const problemId = Number(url.split("/").pop());
    await signOut(page);
    await signIn(page, "moderator@openregion.demo", DEMO_PASSWORD);
    await open(page, new URL(url).pathname);
    await page.locator('[data-test="step-publish"] button[type="submit"]').click();
    // The system may answer within the outbox's 1 s poll, before the page shows the
    // published state: either state says the publication went through.
    await expect(page.locator('[data-test="status"]').first()).toHaveText(/^(Опубликована|Дан ответ)$/);
    await signOut(page);

    // The outbox delivers within its 1 s poll; the system answers as soon as it gets it.
    await expect
      .poll(() => system.deliveries.find((delivery) => delivery.problemId === problemId && delivery.kind === "problem.routed"), {
        timeout: 20_000,
      })
      .toMatchObject({ signed: true, answerStatus: 200 });

    await open(page, new URL(url).pathname);
    await expect(page.locator('[data-test="status"]').first()).toHaveText("Дан ответ");
    const entry = page.locator('[data-test="timeline-entry"][data-kind="answered"]');
    await expect(entry).toContainText(answer);
    await expect(entry).toContainText("Краснодар");

    // The audit log names the system as the one who answered.
    await signIn(page, "admin@openregion.demo", DEMO_PASSWORD);
    await open(page, "/manage/audit");
    await expect(page.locator('[data-test="audit-table"] tr', { hasText: `problem ${problemId}` }).filter({ hasText: "СЭД «Дело» e2e · " }).first()).toBeVisible();

    // The delivery log shows the event delivered.
    await open(page, "/manage/departments");
    await page.locator('[data-test="department-admin-krasnodar"] [data-test="integration-link"]').click();
    // (The demo's older events for this department may now reach the receiver too.)
    await expect(page.locator('[data-test="delivery"][data-status="delivered"]', { hasText: "problem.routed" }).first()).toBeVisible();
    // Revoked, the token opens nothing.
    await page.locator('[data-test="token"]', { hasText: "СЭД «Дело» e2e" }).locator('[data-test="revoke-token"]').click();
    await expect(page.locator('[data-test="token"]', { hasText: "СЭД «Дело» e2e" })).toContainText("Отозван");
    const refused = await fetch(`${baseURL}/api/v1/department/queue`, { headers: { Authorization: `Bearer ${token}` } });
    expect(refused.status).toBe(401);
  } finally {
    system.server.close();
  }
});

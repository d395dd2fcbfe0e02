import { existsSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { readSealedSize, receiptForDisbursement, startAuditSealer } from "@aidtrail/audit/server";
import { PostgresEventStore } from "@aidtrail/event-store";
import { createTestDatabase } from "@aidtrail/testing";
import Fastify from "fastify";
import { describe, expect, inject, it } from "vitest";
import { verifyPageRoutes } from "./index.js";

// playwright-core belongs to the `test` workspace package (cross-service e2e tooling), so
// it is resolved from there rather than made a dependency of the API.
const requireFromTestPackage = createRequire(new URL("../../../../../test/package.json", import.meta.url));
const chromiumPath = process.env.CHROMIUM_PATH ?? ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => existsSync(p));
let playwright: typeof import("playwright-core") | undefined;
try {
  playwright = requireFromTestPackage("playwright-core");
} catch {
  playwright = undefined;
}
const skipReason =
  chromiumPath === undefined
    ? "no Chromium found (apt-get install -y chromium, or set CHROMIUM_PATH)"
    : playwright === undefined
      ? "playwright-core is not installed in the test package"
      : undefined;
if (skipReason) console.warn(`[verify-page e2e] skipped: ${skipReason}`);

const ORIGIN = "aidtrail.test/browser";

describe.skipIf(skipReason !== undefined)("/verify in headless Chromium", () => {
  it("given a receipt, when the server and database are gone, then the page verifies it offline and refuses a tampered one", async () => {
    // A sealed, signed log with one disbursement; then a receipt for it.
    const database = await createTestDatabase(inject("pgAdminUrl"));
    const store = new PostgresEventStore({ db: database.db, url: database.url });
    for (let i = 0; i < 20; i++) {
      await store.append(`disbursement-d${i}`, [{ type: "DisbursementRecorded", data: { disbursementId: `d${i}`, householdId: `h${i}`, amountFen: 60_000 + i } }]);
    }
    const dataDir = await mkdtemp(path.join(tmpdir(), "aidtrail-verify-page-"));
    const sealer = await startAuditSealer({
      db: database.db,
      store,
      config: { origin: ORIGIN, signerKeys: [], verifierKeys: [], checkpointIntervalMs: 60_000, checkpointEveryLeaves: 1_000_000, dataDir },
    });
    while ((await readSealedSize(database.db)) < 20) await new Promise((r) => setTimeout(r, 50));
    await sealer.signNow();
    const receipt = await receiptForDisbursement(database.db, store, "d7");
    await sealer.stop();
    await store.close();
    await database.drop();

    const app = Fastify();
    await app.register(verifyPageRoutes, { verifierKeys: sealer.keys.verifierKeys, origin: ORIGIN });
    const url = await app.listen({ host: "127.0.0.1", port: 0 });
    const browser = await playwright!.chromium.launch({ executablePath: chromiumPath!, headless: true, args: ["--no-sandbox"] });
    try {
      const context = await browser.newContext();
      const page = await context.newPage();
      const requests: string[] = [];
      page.on("request", (r) => requests.push(r.url()));
      await page.goto(`${url}/verify`);
      // From here on nothing can reach a server: verification must happen in the page.
      await app.close();
      await context.setOffline(true);

      const verify = async (text: string) => {
        await page.evaluate(() => {
          document.getElementById("result")!.dataset.status = "idle";
        });
        await page.fill("#receipt", text);
        await page.click("#verify");
        await page.waitForSelector('#result:not([data-status="idle"])');
        return { status: await page.getAttribute("#result", "data-status"), text: await page.textContent("#result") };
      };

      const valid = await verify(JSON.stringify(receipt, null, 2));
      expect(valid.status).toBe("valid");
      expect(valid.text).toContain(`position:   ${receipt.event.position}`);
      expect(valid.text).toContain("stream:     disbursement-d7");
      expect(valid.text).toContain("amount:     600.07 yuan");

      const tampered = { ...receipt, event: { ...receipt.event, data: { ...(receipt.event.data as object), amountFen: 9_999_999 } } };
      const invalid = await verify(JSON.stringify(tampered));
      expect(invalid.status).toBe("invalid");
      expect(invalid.text).toContain("root_mismatch");

      // Upload works the same way as paste.
      await page.evaluate(() => {
        document.getElementById("result")!.dataset.status = "idle";
      });
      await page.setInputFiles("#file", { name: "receipt.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify(receipt)) });
      await page.waitForSelector('#result[data-status="valid"]');

      // Under a key the log never used, the same receipt is refused.
      await page.fill("#keys", "someone.else+6c3a8ac5+AX1sV5GZyV6Xvm0zF8t7mEUzPVs5PYoVQ2hXl1dDCD4V");
      const foreign = await verify(JSON.stringify(receipt));
      expect(foreign.status).toBe("invalid");
      expect(requests).toEqual([`${url}/verify`]);
    } finally {
      await browser.close();
      await app.close();
    }
  });
});

/**
 * A lost or wrong secret key (the key that encrypts stored secrets):
 * - the embedded store never makes a new key file while the database holds secrets: it stops,
 *   saying how to restore the key;
 * - started with another key (the last resort), the service says so everywhere instead of
 *   answering 500: /healthz is not ok and names the problem, the console's setup page marks each
 *   secret "cannot decrypt: set it again", webhooks answer 503; setting the secrets again heals it.
 */
import { randomBytes } from "node:crypto";
import { access, mkdtemp, rm, unlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createAdminApp } from "../../src/admin/create-admin-app.ts";
import { createIntercomBridge } from "../../src/bridge/create-intercom-bridge.ts";
import { pgliteStore } from "../../src/db/pglite.ts";
import { createLogger } from "../../src/logger.ts";
import { createServiceApp } from "../../src/server/start-server.ts";
import { browser, PASSWORD } from "../admin/admin-harness.ts";
import { CLIENT_SECRET, seedSite } from "../webhooks/webhook-testbed.ts";

const dirs: string[] = [];
afterAll(async () => {
	for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

const GUID = "5f0c1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b";

describe("a lost secret key", () => {
	it("stops the embedded store instead of making a new key, then reports and heals under another key", async () => {
		const dataDir = join(await mkdtemp(join(tmpdir(), "ib-key-")), "data");
		dirs.push(dataDir);
		const first = await pgliteStore({ dataDir });
		let oldKeyId: string;
		try {
			await first.prepare();
			await seedSite(first);
			await first.setSetting(1, "identityVerificationSecret", "iv-secret-0123456789");
			await first.addAdminUser({ email: "admin@example.com", password: PASSWORD, role: "modify" });
			oldKeyId = first.secretKeyId;
		} finally {
			await first.close();
		}

		await unlink(join(dataDir, "secret.key"));
		const refused = pgliteStore({ dataDir });
		await expect(refused).rejects.toMatchObject({ code: "CONFIG_INVALID" });
		const message = String(((await refused.catch((e: unknown) => e)) as Error).message);
		expect(message).toContain(`key id ${oldKeyId}`);
		expect(message).toMatch(/put the file back from a backup/);
		expect(message).toMatch(/INTERCOM_BRIDGE_SECRET_KEY/);
		expect(message).toMatch(/last resort/);
		await expect(access(join(dataDir, "secret.key"))).rejects.toMatchObject({ code: "ENOENT" });

		// The last resort: another key. Everything still answers, saying what is wrong.
		const store = await pgliteStore({ dataDir, secretKey: randomBytes(32) });
		try {
			await store.prepare();
			const logger = createLogger({ level: "silent" });
			const health = await createServiceApp(store).request("/healthz");
			expect(health.status).toBe(503);
			const body = (await health.json()) as {
				status: string;
				secretKey: { keyId: string; undecryptable: number; sealedWith: string[]; message: string };
			};
			expect(body.status).toBe("secret-key-mismatch");
			expect(body.secretKey.undecryptable).toBe(3); // client secret, identity secret, webhook API key
			expect(body.secretKey.sealedWith).toEqual([oldKeyId]);
			expect(body.secretKey.message).toMatch(/set each secret again/);

			const admin = createAdminApp({ store, logger });
			const b = browser(admin);
			expect((await b.signIn()).status).toBe(303);
			const setup = await b.get("/admin/sites/default/setup");
			expect(setup.status).toBe(200);
			const page = await setup.text();
			expect(page.match(/cannot decrypt: set it again/g)?.length).toBe(2);
			expect(page).toContain("webhookApiKey");

			const bridge = createIntercomBridge({ store, logger });
			const webhook = () =>
				bridge.handler(
					new Request("http://localhost/intercom/updatecontact", {
						method: "POST",
						headers: { "content-type": "application/json", "x-api-key": "whatever-the-sender-has" },
						body: JSON.stringify({ ContactGUID: GUID }),
					}),
				);
			const refusedWebhook = await webhook();
			expect(refusedWebhook.status).toBe(503);
			expect(refusedWebhook.headers.get("retry-after")).not.toBeNull();
			const error = ((await refusedWebhook.json()) as { error: { code: string; message: string } }).error;
			expect(error.code).toBe("SECRET_KEY_MISMATCH");
			expect(error.message).toMatch(/cannot be decrypted/);

			// Setting them again heals it.
			const csrf = await b.csrf("/admin/sites/default/setup");
			const saved = await b.post("/admin/sites/default/setup", {
				_csrf: csrf,
				enabled: "true",
				appId: "abc123",
				clientSecret: CLIENT_SECRET,
				identityVerificationSecret: "iv-secret-0123456789",
			});
			expect(saved.status).toBe(303);
			const apiKey = await store.rotateWebhookApiKey(1);
			const healed = await createServiceApp(store).request("/healthz");
			expect(healed.status).toBe(200);
			expect(((await healed.json()) as { status: string }).status).toBe("ok");
			const accepted = await bridge.handler(
				new Request("http://localhost/intercom/updatecontact", {
					method: "POST",
					headers: { "content-type": "application/json", "x-api-key": apiKey },
					body: JSON.stringify({ ContactGUID: GUID }),
				}),
			);
			expect(accepted.status).toBe(404); // authenticated; the contact does not exist
		} finally {
			await store.close();
		}
	}, 180_000);
});

/**
 * The webhook suite: every case of the endpoints Intercom calls, run against a database and a way
 * of mounting the bridge. The PGlite and PostgreSQL runs call it with the Hono routes; the
 * framework adapters' tests call it with a `mount` that goes through Express, Fastify, node:http….
 *
 * @example
 * webhookCases({ label: "express on pglite", factory: pgliteFactory, mount: mountThroughExpress });
 */
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "../../src/logger.ts";
import { authCases } from "./auth-cases.ts";
import { batchCases } from "./batch-cases.ts";
import { ingressCases } from "./ingress-cases.ts";
import { logActivityCases } from "./log-activity-cases.ts";
import { notificationCases } from "./notification-cases.ts";
import { topicCases } from "./topic-cases.ts";
import { updateContactCases } from "./update-contact-cases.ts";
import { useWebhookEnv, type WebhookSuiteTarget } from "./webhook-env.ts";
import { CLIENT_SECRET, mountRoutes, requestBuilder, seedSite, webhookStore } from "./webhook-testbed.ts";

export type { WebhookSuiteTarget } from "./webhook-env.ts";
export type { MountFn, RequestFn } from "./webhook-testbed.ts";

/** Registers the whole webhook suite for one target. */
export function webhookCases(target: WebhookSuiteTarget): void {
	const mount = target.mount ?? mountRoutes;
	describe(`webhooks on ${target.label}`, () => {
		describe("reference behaviour", () => {
			const env = useWebhookEnv(target, mount);
			updateContactCases(env);
			logActivityCases(env);
		});
		describe("security", () => {
			const env = useWebhookEnv(target, mount);
			authCases(env);
			notificationCases(env);
		});
		describe("developer hub topics", () => {
			const env = useWebhookEnv(target, mount);
			topicCases(env);
		});
		describe("faults", () => {
			const env = useWebhookEnv(target, mount);
			ingressCases(env);
			batchCases(env);
		});

		it("keeps the Kentico module's URLs and XperienceApiKey header with basePath /kentico.xperience.intercom", async () => {
			const store = await webhookStore(target.factory);
			try {
				const { apiKey } = await seedSite(store);
				const basePath = "/kentico.xperience.intercom";
				const request = await mount({ store, basePath, webhooks: {} });
				const contact = await store.createContact();
				const res = await request(
					requestBuilder(basePath, apiKey)("/updatecontact", {
						auth: "xperience",
						body: { ContactGUID: contact.guid, ContactCity: "Brno" },
					}),
				);
				expect(res.status).toBe(200);
				expect((await store.getContact(contact.guid))?.city).toBe("Brno");
			} finally {
				await store.close();
			}
		});

		it("answers 503 with Retry-After when the database is gone, and logs no secrets or personal data", async () => {
			const store = await webhookStore(target.factory);
			const { apiKey } = await seedSite(store);
			const lines: string[] = [];
			const logger = createLogger({
				level: "info",
				destination: new Writable({ write: (chunk, _enc, done) => done(void lines.push(String(chunk))) }),
			});
			const basePath = target.basePath ?? "/intercom";
			const request = await mount({ store, basePath, webhooks: { dedupWindowMs: 0 }, logger });
			const build = requestBuilder(basePath, apiKey);
			const contact = await store.createContact({ email: "ada@example.com", firstName: "Ada" });
			const body = {
				ContactGUID: contact.guid,
				ContactFirstName: "Augusta",
				ContactEmail: "augusta@example.com",
			};
			expect((await request(build("/updatecontact", { body }))).status).toBe(200);
			expect(
				(await request(build("/logactivity", { body: { ...body, ActivityType: "pagevisit" } }))).status,
			).toBe(200);
			expect(
				(
					await request(
						build("/updatecontact", { body, auth: "none", headers: { "x-api-key": "bad-key-123" } }),
					)
				).status,
			).toBe(401);
			await store.close();
			const res = await request(build("/updatecontact", { body }));
			expect(res.status).toBe(503);
			expect(res.headers.get("retry-after")).toMatch(/^\d+$/);
			expect(await res.json()).toMatchObject({ error: { code: "STORE_UNAVAILABLE" } });
			const log = lines.join("");
			expect(log).toContain("contact updated");
			for (const secret of [
				apiKey,
				CLIENT_SECRET,
				"bad-key-123",
				"ada@example.com",
				"augusta@example.com",
				"Augusta",
				contact.guid,
			]) {
				expect(log).not.toContain(secret);
			}
		});
	});
}

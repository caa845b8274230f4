/**
 * End to end with the Intercom emulator: its Series sender updates a contact through the webhook,
 * and a logged activity ends, through the job runner and the real REST client, with links to every
 * one of the contact's conversations (more than one page of them).
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createIntercomClient } from "../../src/intercom/create-intercom-client.ts";
import { createJobRunner, type JobRunner } from "../../src/jobs/create-job-runner.ts";
import { createLogger } from "../../src/logger.ts";
import type { Store } from "../../src/store/create-store.ts";
import { createIntercomEmulator, type IntercomEmulator } from "../../src/testing/index.ts";
import { pgliteFactory } from "../harness/databases.ts";
import { waitFor } from "../harness/wait-for.ts";
import { APP_ID, mountRoutes, type RequestFn, seedSite, webhookStore } from "./webhook-testbed.ts";

const TOKEN = "emulator-token-123";
const BASE = "http://shop.example.com/intercom";

describe("webhooks end to end with the Intercom emulator", () => {
	let store: Store;
	let emulator: IntercomEmulator;
	let runner: JobRunner;
	let apiKey: string;
	let bridge: RequestFn;

	beforeAll(async () => {
		store = await webhookStore(pgliteFactory);
		const seeded = await seedSite(store);
		apiKey = seeded.apiKey;
		await store.setSetting(seeded.site.id, "accessToken", TOKEN);
		await store.setSetting(seeded.site.id, "region", "eu");
		bridge = await mountRoutes({
			store,
			basePath: "/intercom",
			webhooks: { customFields: { ContactCoffeePreference: { field: "coffeePreference", maxLength: 50 } } },
		});
		// The emulator's Series sender posts straight into the bridge (no sockets needed).
		emulator = createIntercomEmulator({
			tokens: [TOKEN],
			apps: [{ appId: APP_ID }],
			fetch: (input, init) => bridge(new Request(input, init)),
		});
		runner = createJobRunner({
			store,
			logger: createLogger({ level: "silent" }),
			endpoints: (region) => emulator.endpoints(region),
			createClient: ({ token, region, endpoints, logger }) =>
				createIntercomClient({ token, region, endpoints, logger, fetch: emulator.fetch }),
			pollingIntervalSeconds: 0.5,
		});
		await runner.start();
	});

	afterAll(async () => {
		await runner?.stop();
		await store?.close();
	});

	it("a Series webhook updates the contact with the GUID Intercom knows", async () => {
		const contact = await store.createContact();
		emulator.seedContact({
			role: "user",
			external_id: contact.guid,
			email: `grace-${randomUUID()}@example.com`,
			name: "Grace",
			custom_attributes: { coffee: "Flat white" },
		});
		const res = await emulator.webhooks.sendSeries({
			url: `${BASE}/updatecontact`,
			headers: { "X-Api-Key": apiKey },
			fromContact: contact.guid,
			template: {
				ContactGUID: "external_id",
				ContactFirstName: "name",
				ContactEmail: "email",
				ContactCoffeePreference: "custom_attributes.coffee",
			},
		});
		expect(res.status).toBe(200);
		const saved = await store.getContact(contact.guid);
		expect(saved).toMatchObject({ firstName: "Grace", customFields: { coffeePreference: "Flat white" } });
		expect(saved?.email).toMatch(/^grace-.*@example\.com$/);
	});

	it("a logged activity ends with links to all of the contact's conversations", async () => {
		const contact = await store.createContact();
		emulator.seedContact({
			role: "user",
			external_id: contact.guid,
			email: `ada-${randomUUID()}@example.com`,
		});
		const seeded = emulator.seedConversations(contact.guid, 170, { parts: 1 });
		const res = await emulator.webhooks.sendSeries({
			url: `${BASE}/logactivity`,
			headers: { "X-Api-Key": apiKey },
			body: { ContactGuid: contact.guid, ActivityType: "pagevisit", ActivityValue: "Checkout" },
		});
		expect(res.status).toBe(200);
		const comment = await waitFor(
			async () => (await store.listActivities(contact.guid))[0]?.activity.comment,
			{ deadlineMs: 25_000, intervalMs: 200, describe: "the activity's conversation links" },
		);
		const links = comment.split("\n");
		const app = emulator.endpoints("eu").app;
		expect(links.sort()).toEqual(
			seeded.map((c) => `${app}/a/apps/${APP_ID}/inbox/inbox/conversation/${c.id}`).sort(),
		);
		expect(links).toHaveLength(170);
	}, 30_000);

	it("never sends a logged activity back to Intercom as an event, even of a type the site sends", async () => {
		const site = await store.requireSite("default");
		await store.setSetting(site.id, "sendContactData", "always");
		await store.setActivityTypeSendsToIntercom("pagevisit", true);
		try {
			const contact = await store.createContact();
			emulator.seedContact({
				role: "user",
				external_id: contact.guid,
				email: `ev-${randomUUID()}@example.com`,
			});
			emulator.seedConversations(contact.guid, 1, { parts: 1 });
			const res = await emulator.webhooks.sendSeries({
				url: `${BASE}/logactivity`,
				headers: { "X-Api-Key": apiKey },
				body: { ContactGuid: contact.guid, ActivityType: "pagevisit", ActivityValue: "From a Series" },
			});
			expect(res.status).toBe(200);
			// The links job has run for it: the runner has seen the activity.
			await waitFor(async () => (await store.listActivities(contact.guid))[0]?.activity.comment, {
				deadlineMs: 25_000,
				describe: "the logged activity's conversation links",
			});
			// The site's own activity of the same type is sent: the event path works, and is the only one.
			await store.recordActivity({
				contactGuid: contact.guid,
				siteId: site.id,
				typeCodeName: "pagevisit",
				value: "Site",
			});
			await waitFor(() => emulator.events().length > 0 || null, {
				deadlineMs: 25_000,
				describe: () => `an event in the emulator; saw ${JSON.stringify(emulator.events())}`,
			});
			expect(emulator.events().map((e) => [e.eventName, e.metadata.value])).toEqual([["pagevisit", "Site"]]);
		} finally {
			await store.setActivityTypeSendsToIntercom("pagevisit", false);
		}
	}, 60_000);
});

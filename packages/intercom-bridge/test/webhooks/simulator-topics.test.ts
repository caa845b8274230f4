/**
 * The "Simulate Intercom" page sends signed Developer Hub topics through the emulator into the
 * bridge, as the demo does: a mapped topic logs its activity, an unmapped one says how to map it.
 * Also checks that the webhook counters count what was ignored.
 */
import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveBridgeOptions } from "../../src/bridge/bridge-options.ts";
import { createLogger } from "../../src/logger.ts";
import type { Store } from "../../src/store/create-store.ts";
import { createIntercomEmulator, type IntercomEmulator } from "../../src/testing/create-intercom-emulator.ts";
import { createSimulatorRoutes } from "../../src/testing/create-simulator-routes.ts";
import { createWebhookRoutes } from "../../src/webhooks/create-webhook-routes.ts";
import { createWebhookCounts } from "../../src/webhooks/webhook-counts.ts";
import { pgliteFactory } from "../harness/databases.ts";
import { APP_ID, CLIENT_SECRET, seedSite, webhookStore } from "./webhook-testbed.ts";

describe("simulate Intercom: Developer Hub topics", () => {
	let store: Store;
	let emulator: IntercomEmulator;
	let simulator: Hono;
	let guid: string;
	const counts = createWebhookCounts();

	beforeAll(async () => {
		store = await webhookStore(pgliteFactory);
		const { site } = await seedSite(store);
		await store.addActivityType({ codeName: "chat_reply", displayName: "Chat reply" });
		await store.setTopicActivityType(site.id, "conversation.user.replied", "chat_reply");
		const bridge = new Hono();
		const options = resolveBridgeOptions({ store, logger: createLogger({ level: "silent" }) });
		bridge.route("/intercom", createWebhookRoutes({ options, webhookCounts: counts }));
		emulator = createIntercomEmulator({
			apps: [{ appId: APP_ID }],
			fetch: async (input, init) => bridge.request(new Request(input, init)),
		});
		simulator = new Hono();
		simulator.route(
			"/sim",
			createSimulatorRoutes({
				emulator,
				webhookBaseUrl: "http://shop.example.com/intercom",
				apiKey: async () => null,
				activityTypes: async () => [],
				guard: async (_c, next) => next(),
				clientSecret: async () => CLIENT_SECRET,
				topicsUrl: "/admin/sites/default/webhooks#topics-h",
			}),
		);
		guid = (await store.createContact()).guid;
		// The visitor meets the emulated Messenger, as on the demo site.
		const ping = await emulator.fetch(`${emulator.endpoints("us").messenger}/messenger/web/ping`, {
			method: "POST",
			headers: { "content-type": "application/json" },
			body: JSON.stringify({ app_id: APP_ID, user_id: guid, email: "ada@example.com" }),
		});
		expect(ping.status).toBe(200);
	});
	afterAll(async () => {
		await store?.close();
	});

	const post = async (fields: Record<string, string>) => {
		const res = await simulator.request("http://sim.test/sim/topic", {
			method: "POST",
			headers: { "sec-fetch-site": "same-origin" },
			body: new URLSearchParams(fields),
		});
		expect(res.status).toBe(303);
		return (await simulator.request(`http://sim.test${res.headers.get("location")}`)).text();
	};

	it("offers the topics, logs a mapped reply with its text, and explains an unmapped topic", async () => {
		const page = await (await simulator.request("http://sim.test/sim")).text();
		expect(page).toContain('<option value="conversation.admin.closed">');

		const replied = await post({
			userId: guid,
			topic: "conversation.user.replied",
			message: "Is it <b>ready</b>?",
		});
		expect(replied).toMatch(/Notification &quot;conversation\.user\.replied&quot;: HTTP 200/);
		expect(replied).toMatch(/Activity #\d+ logged\./);
		const [activity] = await store.listActivities(guid);
		expect(activity?.activity).toMatchObject({
			title: "Chat reply - Is it <b>ready</b>?",
			origin: "intercom-notification",
			url: expect.stringMatching(new RegExp(`/a/apps/${APP_ID}/inbox/inbox/conversation/\\d+$`)),
		});

		const closed = await post({ userId: guid, topic: "conversation.admin.closed" });
		expect(closed).toContain("Acknowledged; nothing logged (unmapped topic).");
		expect(closed).toContain('href="/admin/sites/default/webhooks#topics-h"');
		expect(await store.listActivities(guid)).toHaveLength(1);
		expect(counts).toMatchObject({
			notificationsUnmapped: 1,
			notificationsUnknownContact: 0,
			notificationsTypeRefused: 0,
		});
	});

	it("refuses an unknown topic or visitor", async () => {
		for (const fields of [
			{ userId: guid, topic: "conversation.admin.snoozed" },
			{ userId: "someone-else", topic: "conversation.user.created" },
		]) {
			const res = await simulator.request("http://sim.test/sim/topic", {
				method: "POST",
				headers: { "sec-fetch-site": "same-origin" },
				body: new URLSearchParams(fields),
			});
			expect(res.status).toBe(400);
		}
	});
});

/** Signed Developer Hub notifications: ping, HEAD, signature required, once per id, stale ones ignored. */
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { NotificationEvent } from "../../src/webhooks/webhook-options.ts";
import type { WebhookEnv } from "./webhook-env.ts";

const notification = (id: string, createdAt = Math.floor(Date.now() / 1000)) => ({
	type: "notification_event",
	app_id: "abc123",
	id,
	topic: "contact.user.created",
	created_at: createdAt,
	delivery_attempts: 1,
	data: { type: "notification_event_data", item: { type: "contact", id: "65f0" } },
});

export function notificationCases(env: () => WebhookEnv) {
	describe("signed notifications", () => {
		it("answers ping and Intercom's HEAD probe", async () => {
			const { send } = env();
			const ping = await send("/webhooks", {
				body: { type: "notification_event", topic: "ping", id: null },
				auth: "sign",
			});
			expect(ping.status).toBe(200);
			expect(await ping.json()).toEqual({ status: "pong" });
			expect((await send("/webhooks", { method: "HEAD", auth: "none" })).status).toBe(200);
		});

		it("requires a signature: the API key is not enough", async () => {
			const res = await env().send("/webhooks", { body: notification(`notif_${randomUUID()}`), auth: "key" });
			expect(res.status).toBe(401);
		});

		it("handles 20 concurrent copies of one notification once", async () => {
			const seen: NotificationEvent[] = [];
			const send = await env().with({ onNotification: (event) => void seen.push(event) });
			const id = `notif_${randomUUID()}`;
			const responses = await Promise.all(
				Array.from({ length: 20 }, () => send("/webhooks", { body: notification(id), auth: "sign" })),
			);
			const statuses = await Promise.all(
				responses.map(async (r) => ((await r.json()) as { status: string }).status),
			);
			expect(responses.every((r) => r.status === 200)).toBe(true);
			// The site maps no type to the topic: acknowledged, nothing logged (decision 0027).
			expect(statuses.filter((s) => s === "ignored")).toHaveLength(1);
			expect(statuses.filter((s) => s === "duplicate")).toHaveLength(19);
			expect(seen).toHaveLength(1);
			expect(seen[0]).toMatchObject({ id, topic: "contact.user.created", item: { id: "65f0" } });
		});

		it("acknowledges but ignores a notification older than the window", async () => {
			const seen: string[] = [];
			const send = await env().with({ onNotification: (event) => void seen.push(event.id) });
			const old = notification(`notif_${randomUUID()}`, Math.floor(Date.now() / 1000) - 48 * 3600);
			const res = await send("/webhooks", { body: old, auth: "sign" });
			expect(await res.json()).toEqual({ status: "stale" });
			expect(seen).toEqual([]);
		});

		it("refuses a body that is not a notification", async () => {
			const res = await env().send("/webhooks", {
				body: { type: "other", topic: "x", id: "notif_1" },
				auth: "sign",
			});
			expect(res.status).toBe(400);
		});
	});
}

/**
 * `POST {basePath}/webhooks`: signed Developer Hub notifications (`notification_event`). Each
 * notification id is handled once, even when copies arrive together; `ping` is answered at once;
 * a notification older than `notificationMaxAgeMs` (by its signed `created_at`) is acknowledged
 * but ignored, since the signature carries no timestamp (docs/reliability.md W12, W13).
 * @see https://developers.intercom.com/docs/webhooks/webhook-notifications
 */

import { claimDelivery } from "../store/delivery-store.ts";
import type { WebhookHandlerContext, WebhookRequest } from "./resolve-webhook-options.ts";
import { WebhookHttpError } from "./webhook-http-error.ts";

const bad = (message: string) => new WebhookHttpError(400, "VALIDATION_FAILED", message);

/** Handles one signed notification. */
export async function receiveNotification(
	ctx: WebhookHandlerContext,
	request: WebhookRequest,
): Promise<Response> {
	const { body } = request;
	if (body.topic === "ping") return request.respond({ status: "pong" });
	if (body.type !== "notification_event") throw bad('Request body must have "type": "notification_event".');
	if (typeof body.topic !== "string" || !/^[a-z0-9_.]{1,100}$/.test(body.topic)) {
		throw bad('"topic" must be a topic name such as "contact.user.created".');
	}
	if (typeof body.id !== "string" || !/^[A-Za-z0-9_-]{1,190}$/.test(body.id)) {
		throw bad('"id" must be the notification id (letters, digits, "_" and "-").');
	}
	const createdAt = body.created_at ?? 0;
	if (typeof createdAt !== "number" || !Number.isFinite(createdAt))
		throw bad('"created_at" must be a number.');
	const { id, topic } = body;
	const data = body.data;
	const item =
		data !== null && typeof data === "object" && !Array.isArray(data)
			? (data as { item?: unknown }).item
			: undefined;
	const stale = createdAt > 0 && ctx.now() - createdAt * 1000 > ctx.options.notificationMaxAgeMs;

	const status = await ctx.store.transaction(async (tx) => {
		const claim = { siteId: request.site.id, endpoint: "webhooks", deliveryKey: id };
		if (!(await claimDelivery(tx, { ...claim, status: stale ? "stale" : "received" }))) return "duplicate";
		if (stale) return "stale";
		await ctx.options.onNotification?.({
			id,
			topic,
			createdAt,
			item,
			site: { id: request.site.id, codeName: request.site.codeName },
		});
		return "received";
	});
	ctx.logger.info(
		{ site: request.site.codeName, endpoint: "webhooks", topic, status },
		"webhook: notification",
	);
	return request.respond({ status });
}

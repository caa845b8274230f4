/**
 * `POST {basePath}/webhooks`: signed Developer Hub notifications (`notification_event`). Each
 * notification id is handled once, even when copies arrive together or Intercom redelivers it;
 * `ping` is answered at once; a notification older than `notificationMaxAgeMs` (by its signed
 * `created_at`) is acknowledged but ignored, since the signature carries no timestamp
 * (docs/reliability.md W12, W13).
 *
 * A topic the site maps to an activity type (docs/decisions/0027) logs one activity, origin
 * `intercom-notification`, for the contact the notification names, in the transaction that claims
 * the notification id. An unmapped topic, a refused type or an unknown contact is answered 200
 * `ignored` with the reason (Intercom retries anything else, and pauses an endpoint that keeps
 * failing) and counted for /healthz.
 * @see https://developers.intercom.com/docs/webhooks/webhook-notifications
 */

import { conversationUrl } from "../intercom/endpoints.ts";
import { claimDelivery, noteDelivery } from "../store/delivery-store.ts";
import { logNotificationActivity, type NotificationActivityOutcome } from "../store/topic-activity-store.ts";
import { notificationSubject } from "./notification-subject.ts";
import type { WebhookHandlerContext, WebhookRequest } from "./resolve-webhook-options.ts";
import { WebhookHttpError } from "./webhook-http-error.ts";

const bad = (message: string) => new WebhookHttpError(400, "VALIDATION_FAILED", message);

/** Why a notification logged nothing, as the answer and the delivery record say it. */
const IGNORED_REASON = {
	unmapped: "unmapped topic",
	"type-refused": "activity type disabled or not accepted on this site",
	"unknown-contact": "unknown contact",
} as const;

/** The app id the inbox link names: the site's, else the notification's (the workspace it came from). */
function appIdOf(request: WebhookRequest): string | null {
	const fromBody = request.body.app_id;
	if (request.settings.appId) return request.settings.appId;
	return typeof fromBody === "string" && /^[a-z0-9]{1,32}$/.test(fromBody) ? fromBody : null;
}

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
	const subject = notificationSubject(topic, item);
	const appId = appIdOf(request);
	const url =
		subject.conversationId && appId
			? conversationUrl(ctx.endpoints(request.settings.region), appId, subject.conversationId)
			: null;

	const result = await ctx.store.transaction(
		async (tx): Promise<"duplicate" | "stale" | NotificationActivityOutcome> => {
			const claim = { siteId: request.site.id, endpoint: "webhooks", deliveryKey: id };
			if (!(await claimDelivery(tx, { ...claim, status: stale ? "stale" : "received" }))) return "duplicate";
			if (stale) return "stale";
			const outcome = await logNotificationActivity(tx, {
				siteId: request.site.id,
				topic,
				guids: subject.guids,
				value: subject.value,
				url,
			});
			await noteDelivery(
				tx,
				claim,
				outcome.kind === "logged"
					? `activity ${outcome.activityId}`
					: `ignored: ${IGNORED_REASON[outcome.kind]}`,
			);
			await ctx.options.onNotification?.({
				id,
				topic,
				createdAt,
				item,
				site: { id: request.site.id, codeName: request.site.codeName },
			});
			return outcome;
		},
	);
	const log = { site: request.site.codeName, endpoint: "webhooks", topic };
	if (result === "duplicate" || result === "stale") {
		ctx.logger.info({ ...log, status: result }, "webhook: notification");
		return request.respond({ status: result });
	}
	if (result.kind === "logged") {
		ctx.logger.info(
			{ ...log, status: "logged", activityType: result.typeCodeName, activityId: result.activityId },
			"webhook: notification logged an activity",
		);
		return request.respond({ status: "logged", activityId: result.activityId });
	}
	if (result.kind === "unmapped") ctx.counts.notificationsUnmapped++;
	else if (result.kind === "type-refused") ctx.counts.notificationsTypeRefused++;
	else ctx.counts.notificationsUnknownContact++;
	const reason = IGNORED_REASON[result.kind];
	ctx.logger.info({ ...log, status: "ignored", reason }, "webhook: notification");
	return request.respond({ status: "ignored", reason });
}

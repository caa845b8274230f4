/**
 * `POST {basePath}/logactivity`: a Series logs an activity of an enabled type for the contact with
 * the GUID it knows (reference-behaviour.md, "Webhook: log activity"). Value and URL go to their
 * own columns (the reference swapped them). The activity and its conversation-links job are written
 * in one transaction, and the answer goes out without calling Intercom: the job fills the links
 * later (reliability.md W10, O1, O12).
 */
import { createHash } from "node:crypto";
import { eq } from "drizzle-orm";
import { getJobQueue } from "../jobs/job-queue.ts";
import { activityTitle } from "../store/activity-store.ts";
import { findContact } from "../store/contact-store.ts";
import { activities, activityTypes } from "../store/schema.ts";
import { bodyFields, contactGuidOf } from "./body-fields.ts";
import { bodyDeliveryKey, claimWebhookDelivery } from "./claim-webhook-delivery.ts";
import type { WebhookHandlerContext, WebhookRequest } from "./resolve-webhook-options.ts";
import { WebhookHttpError } from "./webhook-http-error.ts";

const typeRefused = () =>
	new WebhookHttpError(400, "VALIDATION_FAILED", "Activity type is incorrect or disabled.");

/** Handles one authenticated log-activity request. */
export async function logActivity(ctx: WebhookHandlerContext, request: WebhookRequest): Promise<Response> {
	const fields = bodyFields(request.body);
	const guid = contactGuidOf(fields);
	const typeCodeName = fields.text("ActivityType");
	if (typeCodeName === null) throw typeRefused();
	const value = fields.text("ActivityValue");
	const url = fields.text("ActivityURL");
	const claim = {
		siteId: request.site.id,
		endpoint: "logactivity",
		deliveryKey: bodyDeliveryKey(request.bytes),
	};
	const dedup = ctx.options.dedupWindowMs > 0;
	const queue = getJobQueue(ctx.store, ctx.logger);
	await queue.ensure();

	const activityId = await ctx.store.transaction(async (tx) => {
		if (
			dedup &&
			!(await claimWebhookDelivery(tx, { ...claim, status: "logged", windowMs: ctx.options.dedupWindowMs }))
		) {
			return null;
		}
		const [type] = await tx.select().from(activityTypes).where(eq(activityTypes.codeName, typeCodeName));
		if (!type?.enabled) throw typeRefused();
		const contact = await findContact(tx, guid);
		if (!contact) throw new WebhookHttpError(404, "NOT_FOUND", "Contact not found.");
		const [row] = await tx
			.insert(activities)
			.values({
				contactGuid: contact.guid,
				siteId: request.site.id,
				typeId: type.id,
				title: activityTitle(type.displayName, value),
				value,
				url,
				urlHash: url ? createHash("sha256").update(url).digest("hex") : null,
			})
			.returning({ id: activities.id });
		if (!row) throw new Error("insert returned no row");
		await queue.enqueueConversationLinks(
			tx,
			{ activityId: row.id, siteId: request.site.id, externalIds: [...new Set([guid, contact.guid])] },
			{ maxAttempts: ctx.options.linkJobMaxAttempts },
		);
		return row.id;
	});

	if (activityId === null) {
		ctx.logger.info({ site: request.site.codeName, endpoint: "logactivity" }, "webhook: duplicate ignored");
		return Response.json({ status: "duplicate" });
	}
	ctx.logger.info(
		{ site: request.site.codeName, endpoint: "logactivity", activityType: typeCodeName, activityId },
		"webhook: activity logged",
	);
	return Response.json({ status: "logged", activityId });
}

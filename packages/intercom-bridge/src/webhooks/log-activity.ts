/**
 * `POST {basePath}/logactivity`: a Series logs an activity of an enabled type the site accepts
 * (docs/decisions/0020; any other is answered as a disabled type is) for the contact with the GUID
 * it knows (docs/reference-behaviour.md, "Webhook: log activity"). Value and URL go to their own
 * columns (the reference swapped them). The activity and its conversation-links job are written in
 * one statement (all or nothing), and the answer goes out without calling Intercom: the job fills
 * the links later (docs/reliability.md W10, O1, O12).
 */
import { getJobQueue } from "../jobs/job-queue.ts";
import { bodyFields, contactGuidOf } from "./body-fields.ts";
import { seriesDeliveryKey } from "./claim-webhook-delivery.ts";
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
	const key = seriesDeliveryKey(request, fields, ctx.options.dedupWindowMs);
	// The queue (pg-boss's schema and the queue's partition) must exist before the job is written.
	await getJobQueue(ctx.store, ctx.logger).ensure();

	const logged = await ctx.store.logActivity({
		typeCodeName,
		guid,
		siteId: request.site.id,
		value,
		url,
		retryLimit: ctx.options.linkJobMaxAttempts - 1,
		claim: key,
	});
	if (!logged.typeOk) throw typeRefused();
	if (logged.guid === null) throw new WebhookHttpError(404, "NOT_FOUND", "Contact not found.");
	const { activityId } = logged;
	if (activityId === null) {
		ctx.logger.info({ site: request.site.codeName, endpoint: "logactivity" }, "webhook: duplicate ignored");
		return request.respond({ status: "duplicate" });
	}
	ctx.logger.info(
		{ site: request.site.codeName, endpoint: "logactivity", activityType: typeCodeName, activityId },
		"webhook: activity logged",
	);
	return request.respond({ status: "logged", activityId });
}

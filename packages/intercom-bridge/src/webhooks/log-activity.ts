/**
 * `POST {basePath}/logactivity`: a Series logs an activity of an enabled type for the contact with
 * the GUID it knows (reference-behaviour.md, "Webhook: log activity"). Value and URL go to their
 * own columns (the reference swapped them). The activity and its conversation-links job are written
 * in one statement (all or nothing), and the answer goes out without calling Intercom: the job
 * fills the links later (reliability.md W10, O1, O12).
 */
import { createHash } from "node:crypto";
import { conversationLinksJobText, getJobQueue } from "../jobs/job-queue.ts";
import { resolveContactGuidText } from "../store/contact-store.ts";
import { type PreparedStatement, preparedStatement } from "../store/prepared-statement.ts";
import { bodyFields, contactGuidOf } from "./body-fields.ts";
import { bodyDeliveryKey, claimDeliveryText } from "./claim-webhook-delivery.ts";
import type { WebhookHandlerContext, WebhookRequest } from "./resolve-webhook-options.ts";
import { WebhookHttpError } from "./webhook-http-error.ts";

const typeRefused = () =>
	new WebhookHttpError(400, "VALIDATION_FAILED", "Activity type is incorrect or disabled.");

/**
 * The whole log as one statement (one round trip, atomic without a transaction): the type (if
 * enabled), the contact (by GUID or merged GUID), the delivery claim, the activity, and its
 * conversation-links job. A refused type, an unknown contact or a lost claim writes nothing.
 * Fixed text, prepared once per connection. $1 type code name, $2 GUID, $3 site, $4 value, $5 URL,
 * $6 URL hash, $7 job retry limit, and with a claim: $8 delivery key, $9 window (s).
 */
function logStatement(withClaim: boolean): PreparedStatement {
	const claim = claimDeliveryText({
		from: "atype, target",
		siteId: "$3::int",
		endpoint: "'logactivity'",
		deliveryKey: "$8::text",
		status: "'logged'",
		windowSecs: "$9::float8",
		detail: "null::text",
	});
	const job = conversationLinksJobText({
		from: "act",
		// The GUID Intercom sent and, when it was merged, the surviving one (the person may be known by either).
		data: `jsonb_build_object('activityId', act.id, 'siteId', $3::int, 'externalIds',
			case when act.contact_guid = $2::uuid then jsonb_build_array($2::text)
				else jsonb_build_array($2::text, act.contact_guid::text) end)`,
		retryLimit: "$7::int",
	});
	return preparedStatement(
		withClaim ? "log_activity_claimed" : "log_activity",
		`with atype as (select id, display_name from activity_types where code_name = $1::text and enabled),
		target as (${resolveContactGuidText("$2::uuid")}),
		${withClaim ? `claim as (${claim}),` : ""}
		act as (
			insert into activities (contact_guid, site_id, type_id, title, value, url, url_hash)
			select target.guid, $3::int, atype.id,
				left(case when $4::text is null then atype.display_name else atype.display_name || ' - ' || $4::text end, 250),
				$4::text, $5::text, $6::text
			from atype, target ${withClaim ? ", claim" : ""}
			returning id, contact_guid
		),
		job as (${job})
		select exists (select 1 from atype) as type_ok, (select guid from target) as guid,
			(select id from act)::text as activity_id`,
	);
}

const LOG = logStatement(false);
const LOG_CLAIMED = logStatement(true);

/** Handles one authenticated log-activity request. */
export async function logActivity(ctx: WebhookHandlerContext, request: WebhookRequest): Promise<Response> {
	const fields = bodyFields(request.body);
	const guid = contactGuidOf(fields);
	const typeCodeName = fields.text("ActivityType");
	if (typeCodeName === null) throw typeRefused();
	const value = fields.text("ActivityValue");
	const url = fields.text("ActivityURL");
	const dedup = ctx.options.dedupWindowMs > 0;
	// The queue (pg-boss's schema and the queue's partition) must exist before the job is written.
	await getJobQueue(ctx.store, ctx.logger).ensure();

	const [row] = await ctx.store.runStatement<{
		type_ok: boolean;
		guid: string | null;
		activity_id: string | null;
	}>(dedup ? LOG_CLAIMED : LOG, [
		typeCodeName,
		guid,
		request.site.id,
		value,
		url,
		url ? createHash("sha256").update(url).digest("hex") : null,
		ctx.options.linkJobMaxAttempts - 1,
		...(dedup ? [bodyDeliveryKey(request.bytes), ctx.options.dedupWindowMs / 1000] : []),
	]);
	if (!row?.type_ok) throw typeRefused();
	if (row.guid === null) throw new WebhookHttpError(404, "NOT_FOUND", "Contact not found.");
	if (row.activity_id === null) {
		ctx.logger.info({ site: request.site.codeName, endpoint: "logactivity" }, "webhook: duplicate ignored");
		return request.respond({ status: "duplicate" });
	}
	const activityId = Number(row.activity_id);
	ctx.logger.info(
		{ site: request.site.codeName, endpoint: "logactivity", activityType: typeCodeName, activityId },
		"webhook: activity logged",
	);
	return request.respond({ status: "logged", activityId });
}

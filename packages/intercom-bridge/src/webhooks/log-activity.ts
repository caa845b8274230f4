/**
 * `POST {basePath}/logactivity`: a Series logs an activity of an enabled type for the contact with
 * the GUID it knows (docs/reference-behaviour.md, "Webhook: log activity"). Value and URL go to their
 * own columns (the reference swapped them). The activity and its conversation-links job are written
 * in one statement (all or nothing), and the answer goes out without calling Intercom: the job
 * fills the links later (docs/reliability.md W10, O1, O12).
 */
import { createHash } from "node:crypto";
import { StoreUnavailableError } from "../errors.ts";
import { conversationLinksJobText, getJobQueue } from "../jobs/job-queue.ts";
import { resolveContactGuidText } from "../store/contact-store.ts";
import type { Store } from "../store/create-store.ts";
import { type PreparedStatement, preparedStatement } from "../store/prepared-statement.ts";
import { RUN_AGAIN } from "../store/statement-batcher.ts";
import { storeBatcher } from "../store/store-batcher.ts";
import { bodyFields, contactGuidOf } from "./body-fields.ts";
import { claimDeliveryText, seriesDeliveryKey } from "./claim-webhook-delivery.ts";
import type { WebhookHandlerContext, WebhookRequest } from "./resolve-webhook-options.ts";
import { WebhookHttpError } from "./webhook-http-error.ts";

const typeRefused = () =>
	new WebhookHttpError(400, "VALIDATION_FAILED", "Activity type is incorrect or disabled.");

/**
 * The log of one or more requests as one statement (one round trip, atomic without a transaction;
 * several under load, see store-batcher.ts). For each row of $1 (a JSON array: i, type code, GUID,
 * site, value, URL, URL hash, delivery key): the type (if enabled), the contact (by GUID or merged
 * GUID), the delivery claim (with a claim, $3 is the window in s), the activity and its
 * conversation-links job ($2 the job retry limit). A refused type, an unknown contact or a lost
 * claim writes nothing. Activity ids are drawn from the sequence first, so each row's activity and
 * job are known by its own id. Fixed text, prepared once per connection. A row
 * whose delivery key an earlier row of the batch has comes back with `done` false and runs in a
 * later statement (it then sees the first row's claim).
 */
function logStatement(withClaim: boolean): PreparedStatement {
	const claim = claimDeliveryText({
		from: "ranked",
		where: "ranked.go",
		siteId: "ranked.site_id",
		endpoint: "'logactivity'",
		deliveryKey: "ranked.delivery_key",
		status: "'logged'",
		windowSecs: "$3::float8",
		detail: "null::text",
		returning: "site_id, delivery_key",
	});
	const job = conversationLinksJobText({
		from: "numbered",
		data: `jsonb_build_object('activityId', numbered.activity_id, 'siteId', numbered.site_id, 'externalIds',
			case when numbered.target = numbered.guid then jsonb_build_array(numbered.guid::text)
				else jsonb_build_array(numbered.guid::text, numbered.target::text) end)`,
		retryLimit: "$2::int",
	});
	const firstForKey = withClaim
		? "and row_number() over (partition by site_id, delivery_key order by i) = 1"
		: "";
	return preparedStatement(
		withClaim ? "log_activity_claimed" : "log_activity",
		`with input as (
			select * from json_to_recordset($1::json) as r(i int, type_code text, guid uuid, site_id int,
				value text, url text, url_hash text, delivery_key text)
		),
		resolved as (
			select input.*, a.id as type_id, a.display_name, t.guid as target
			from input
				left join activity_types a on a.code_name = input.type_code and a.enabled
				left join lateral (${resolveContactGuidText("input.guid")}) t on true
		),
		ranked as (
			select resolved.*, type_id is not null and target is not null ${firstForKey} as go from resolved
		),
		${withClaim ? `claim as (${claim}),` : ""}
		numbered as (
			select r.*, nextval('activities_id_seq'::regclass) as activity_id
			from ranked r ${withClaim ? "join claim k on k.site_id = r.site_id and k.delivery_key = r.delivery_key" : ""}
			where r.go
		),
		act as (
			insert into activities (id, contact_guid, site_id, type_id, title, value, url, url_hash)
			select activity_id, target, site_id, type_id,
				left(case when value is null then display_name else display_name || ' - ' || value end, 250),
				value, url, url_hash
			from numbered
			returning id
		),
		job as (${job})
		select r.i, r.type_id is not null as type_ok, r.target as guid, n.activity_id::text as activity_id,
			r.go or r.type_id is null or r.target is null as done
		from ranked r left join numbered n on n.i = r.i
		order by r.i`,
	);
}

const LOG = logStatement(false);
const LOG_CLAIMED = logStatement(true);

/** One log request's values. */
interface LogItem {
	typeCodeName: string;
	guid: string;
	siteId: number;
	value: string | null;
	url: string | null;
	urlHash: string | null;
	retryLimit: number;
	/** Null without dedup. */
	deliveryKey: string | null;
	windowSecs: number;
}

type LogRow = { type_ok: boolean; guid: string | null; activity_id: string | null };

/** Saves a log: alone when the store is idle, or with concurrent logs in one statement. */
function saveLog(store: Store, item: LogItem): Promise<LogRow> {
	const withClaim = item.deliveryKey !== null;
	const key = `logactivity:${withClaim ? item.windowSecs : "-"}:${item.retryLimit}`;
	const batcher = storeBatcher<LogItem, LogRow>(store, key, () => {
		// Retry limit and window are the same for all of a batcher's items (they are in the key).
		const runLogs = async (items: readonly LogItem[]): Promise<Array<LogRow | typeof RUN_AGAIN>> => {
			const rows = items.map((one, i) => ({
				i,
				type_code: one.typeCodeName,
				guid: one.guid,
				site_id: one.siteId,
				value: one.value,
				url: one.url,
				url_hash: one.urlHash,
				delivery_key: one.deliveryKey,
			}));
			const result = await store.runStatement<LogRow & { done: boolean }>(withClaim ? LOG_CLAIMED : LOG, [
				JSON.stringify(rows),
				item.retryLimit,
				...(withClaim ? [item.windowSecs] : []),
			]);
			return result.map((row) => (row.done ? row : RUN_AGAIN));
		};
		return { runBatch: runLogs, failsAll: (err) => err instanceof StoreUnavailableError };
	});
	return batcher.run(item);
}

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

	const row = await saveLog(ctx.store, {
		typeCodeName,
		guid,
		siteId: request.site.id,
		value,
		url,
		urlHash: url ? createHash("sha256").update(url).digest("hex") : null,
		retryLimit: ctx.options.linkJobMaxAttempts - 1,
		deliveryKey: key?.deliveryKey ?? null,
		windowSecs: (key?.windowMs ?? 0) / 1000,
	});
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

/**
 * The webhook's activity log (`POST …/logactivity`) as one statement: the activity, its delivery
 * claim and its conversation-links job, all or nothing (docs/decisions/0005-one-statement-webhooks.md,
 * docs/reliability.md W10). Concurrent logs share a statement (group commit, docs/decisions/0006).
 */
import { createHash } from "node:crypto";
import { StoreUnavailableError } from "../errors.ts";
import { resolveContactGuidText } from "./contact-store.ts";
import { claimDeliveryText } from "./delivery-store.ts";
import { conversationLinksJobText } from "./job-store.ts";
import { type PreparedStatement, preparedStatement, runPrepared } from "./prepared-statement.ts";
import { RUN_AGAIN } from "./statement-batcher.ts";
import { storeBatcher } from "./store-batcher.ts";
import { guard, type StoreContext } from "./store-context.ts";

/**
 * The log of one or more requests as one statement (one round trip, atomic without a transaction;
 * several under load, see store-batcher.ts). For each row of $1 (a JSON array: i, type code, GUID,
 * site, value, URL, URL hash, delivery key): the type (if enabled and accepted on the row's site,
 * docs/decisions/0020), the contact (by GUID or merged GUID), the delivery claim (with a claim, $3
 * is the window in s), the activity and its conversation-links job ($2 the job retry limit). A
 * refused type, an unknown contact or a lost claim writes nothing. Activity ids are drawn from the
 * sequence first, so each row's activity and job are known by its own id. The activity's origin is
 * `intercom-series` (it came from Intercom; docs/decisions/0027). Fixed text, prepared
 * once per connection. A row whose delivery key an earlier row of the batch has comes back with
 * `done` false and runs in a later statement (it then sees the first row's claim).
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
					and (not exists (select 1 from site_activity_types s where s.site_id = input.site_id)
						or exists (select 1 from site_activity_types s
							where s.site_id = input.site_id and s.type_id = a.id))
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
			insert into activities (id, contact_guid, site_id, type_id, title, value, url, url_hash, origin)
			select activity_id, target, site_id, type_id,
				left(case when value is null then display_name else display_name || ' - ' || value end, 250),
				value, url, url_hash, 'intercom-series'
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

/** One activity to log, as a webhook gives it. */
export interface ActivityLogInput {
	typeCodeName: string;
	/** The contact's GUID, or a GUID merged into it. */
	guid: string;
	siteId: number;
	value: string | null;
	url: string | null;
	/** Attempts of the conversation-links job after the first. */
	retryLimit: number;
	/** The delivery to claim in the same statement; null without dedup. */
	claim: { deliveryKey: string; windowMs: number } | null;
}

/** What a log did: nothing when the type is refused, the contact unknown or the delivery a duplicate. */
export interface LoggedActivity {
	/** False when the type is unknown, disabled or not accepted on the site. */
	typeOk: boolean;
	/** The contact the activity went to (the survivor of a merge); null for an unknown contact. */
	guid: string | null;
	/** The new activity (its job has `activityId` in its data); null when nothing was written. */
	activityId: number | null;
}

/** One log request's values, as the statement takes them. */
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

export function createActivityLogStore(ctx: StoreContext) {
	/** Saves a log: alone when the store is idle, or with concurrent logs in one statement. */
	function saveLog(item: LogItem): Promise<LogRow> {
		const withClaim = item.deliveryKey !== null;
		const key = `logactivity:${withClaim ? item.windowSecs : "-"}:${item.retryLimit}`;
		const batcher = storeBatcher<LogItem, LogRow>(ctx.database, key, () => {
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
				const result = await guard(() =>
					runPrepared<LogRow & { done: boolean }>(ctx.database, withClaim ? LOG_CLAIMED : LOG, [
						JSON.stringify(rows),
						item.retryLimit,
						...(withClaim ? [item.windowSecs] : []),
					]),
				);
				return result.map((row) => (row.done ? row : RUN_AGAIN));
			};
			return { runBatch: runLogs, failsAll: (err) => err instanceof StoreUnavailableError };
		});
		return batcher.run(item);
	}

	return {
		/**
		 * Logs a webhook's activity of an enabled type the site accepts for a contact (GUID or merged GUID), with its
		 * delivery claim and its conversation-links job, in one statement: all of it, or nothing.
		 * The title is the type's display name, then the value (max 250). The job queue must exist
		 * (JobQueue.ensure); without it the statement fails and nothing is written.
		 * @throws StoreUnavailableError when the database (or the job queue) is not there.
		 */
		async logActivity(input: ActivityLogInput): Promise<LoggedActivity> {
			const row = await saveLog({
				typeCodeName: input.typeCodeName,
				guid: input.guid,
				siteId: input.siteId,
				value: input.value,
				url: input.url,
				urlHash: input.url ? createHash("sha256").update(input.url).digest("hex") : null,
				retryLimit: input.retryLimit,
				deliveryKey: input.claim?.deliveryKey ?? null,
				windowSecs: (input.claim?.windowMs ?? 0) / 1000,
			});
			return {
				typeOk: row.type_ok,
				guid: row.guid,
				activityId: row.activity_id === null ? null : Number(row.activity_id),
			};
		},
	};
}

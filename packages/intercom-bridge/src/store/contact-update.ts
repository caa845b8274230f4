/**
 * The webhook's contact update (`POST …/updatecontact`) as one statement: resolve the GUID, check
 * the email is free, claim the delivery, update (docs/decisions/0005-one-statement-webhooks.md).
 * On the store, concurrent updates share a statement (group commit, docs/decisions/0006); inside
 * a transaction (a webhook hook) it runs alone on the transaction's connection.
 */
import { StoreUnavailableError } from "../errors.ts";
import type { ContactFieldName } from "./contact-fields.ts";
import { resolveContactGuidText } from "./contact-store.ts";
import type { Tx } from "./database.ts";
import { claimDeliveryText } from "./delivery-store.ts";
import {
	type PreparedStatement,
	preparedStatement,
	runInTransaction,
	runPrepared,
} from "./prepared-statement.ts";
import { contacts } from "./schema.ts";
import { RUN_AGAIN } from "./statement-batcher.ts";
import { storeBatcher } from "./store-batcher.ts";
import { guard, type StoreContext } from "./store-context.ts";

/** Contact columns an update may overwrite (the email is handled apart). */
export type UpdatableContactField = Exclude<ContactFieldName, "email">;

/** The columns of {@link UpdatableContactField} the update statement writes, in its order. */
export const UPDATABLE_CONTACT_FIELDS: readonly UpdatableContactField[] = [
	"firstName",
	"middleName",
	"lastName",
	"jobTitle",
	"address1",
	"city",
	"zip",
	"mobilePhone",
	"businessPhone",
	"notes",
	"companyName",
];

/** What {@link saveContactUpdateIn} and the store's `saveContactUpdate` write. */
export interface ContactUpdate {
	guid: string;
	/** Checked contact columns (by field name) to overwrite; null or missing keeps the contact's value. */
	set: Partial<Record<UpdatableContactField, string | null>>;
	/** Custom fields merged into the contact's. */
	custom: Record<string, unknown> | undefined;
	/** A valid email to set unless another contact has it; null to leave the email alone. */
	email: string | null;
	/** The delivery to claim in the same statement (null: claimed already, or no dedup). */
	claim: { siteId: number; deliveryKey: string; windowMs: number; detail: string | null } | null;
}

/** What an update did. */
export interface SavedContactUpdate {
	/** The contact updated (the survivor's GUID for a merged one); null for an unknown contact. */
	guid: string | null;
	/** False when the claim was refused (a duplicate delivery): nothing was written. */
	claimed: boolean;
	/** True when another contact has the email, so it was left alone. */
	emailTaken: boolean;
}

/**
 * The update of one or more requests as one statement (one round trip, atomic without a
 * transaction; several under load, see store-batcher.ts). For each row of $1 (a JSON array): resolve
 * the GUID, check the email is free, claim the delivery (with a claim, $2 is the window in s),
 * update. A refused claim (duplicate) or an unknown contact updates nothing; null keeps the
 * contact's value ("only non-empty values overwrite"). A row goes in only if it is the first of
 * the statement for its contact, its delivery key and its email; the others come back with `done`
 * false and run in a later statement, so the rows of one statement never touch the same thing and
 * each sees the database as if it ran alone. The text is fixed: prepared once per connection.
 */
function updateStatement(withClaim: boolean): PreparedStatement {
	const columns = UPDATABLE_CONTACT_FIELDS.map((name) => contacts[name].name);
	const assignments = [
		...columns.map((column) => `${column} = coalesce(r.${column}, c.${column})`),
		"custom_fields = case when r.custom_fields is null then c.custom_fields else c.custom_fields || r.custom_fields end",
		"email = case when r.email is null or r.taken then c.email else r.email end",
		"updated_at = now()",
	];
	const claim = claimDeliveryText({
		from: "ranked",
		where: "ranked.go",
		siteId: "ranked.site_id",
		endpoint: "'updatecontact'",
		deliveryKey: "ranked.delivery_key",
		status: "'updated'",
		windowSecs: "$2::float8",
		detail: "case when ranked.taken then 'ContactEmail: email_taken' else ranked.detail end",
		returning: "site_id, delivery_key",
	});
	const claimed = "k.delivery_key is not null";
	return preparedStatement(
		withClaim ? "update_contact_claimed" : "update_contact",
		`with input as (
			select * from json_to_recordset($1::json) as r(i int, guid uuid, ${columns.map((c) => `${c} text`).join(", ")},
				custom_fields jsonb, email text, site_id int, delivery_key text, detail text)
		),
		resolved as (
			select input.*, t.guid as target,
				exists (select 1 from contacts c where lower(c.email) = lower(input.email) and c.guid <> t.guid) as taken
			from input left join lateral (${resolveContactGuidText("input.guid")}) t on true
		),
		ranked as (
			select resolved.*, target is not null
				and row_number() over (partition by target order by i) = 1
				and (delivery_key is null or row_number() over (partition by site_id, delivery_key order by i) = 1)
				and (email is null or row_number() over (partition by lower(email) order by i) = 1) as go
			from resolved
		),
		${withClaim ? `claim as (${claim}),` : ""}
		updated as (
			update contacts c set ${assignments.join(", ")}
			from ranked r ${withClaim ? "join claim k on k.site_id = r.site_id and k.delivery_key = r.delivery_key" : ""}
			where r.go and c.guid = r.target
			returning c.guid
		)
		select r.i, r.target as guid, r.go or r.target is null as done,
			${withClaim ? claimed : "true"} as claimed, r.taken as email_taken
		from ranked r ${withClaim ? "left join claim k on k.site_id = r.site_id and k.delivery_key = r.delivery_key" : ""}
		order by r.i`,
	);
}

const UPDATE = updateStatement(false);
const UPDATE_CLAIMED = updateStatement(true);

type Row = { guid: string | null; claimed: boolean; email_taken: boolean; done: boolean };

/** Runs {@link updateStatement} for `items` on the database or in a transaction. */
async function runUpdates(
	target: { ctx: StoreContext } | { tx: Tx },
	items: readonly ContactUpdate[],
	windowMs: number | null,
): Promise<Array<SavedContactUpdate | typeof RUN_AGAIN>> {
	const rows = items.map((one, i) => {
		const row: Record<string, unknown> = {
			i,
			guid: one.guid,
			custom_fields: one.custom ?? null,
			email: one.email,
			site_id: one.claim?.siteId ?? null,
			delivery_key: one.claim?.deliveryKey ?? null,
			detail: one.claim?.detail ?? null,
		};
		for (const name of UPDATABLE_CONTACT_FIELDS) row[contacts[name].name] = one.set[name] ?? null;
		return row;
	});
	const statement = windowMs === null ? UPDATE : UPDATE_CLAIMED;
	const values = windowMs === null ? [JSON.stringify(rows)] : [JSON.stringify(rows), windowMs / 1000];
	const result =
		"ctx" in target
			? await guard(() => runPrepared<Row>(target.ctx.database, statement, values))
			: await runInTransaction<Row>(target.tx, statement.text, values);
	return result.map((row) =>
		row.done ? { guid: row.guid, claimed: row.claimed, emailTaken: row.email_taken } : RUN_AGAIN,
	);
}

/**
 * Saves an update inside a transaction (a webhook hook's), alone. Without a claim: the hook's
 * transaction claimed the delivery with claimDelivery.
 */
export async function saveContactUpdateIn(tx: Tx, u: ContactUpdate): Promise<SavedContactUpdate> {
	const [saved] = await runUpdates({ tx }, [u], u.claim ? u.claim.windowMs : null);
	// The first (here only) row of a statement always goes in.
	if (!saved || saved === RUN_AGAIN) throw new Error("the update statement returned no row");
	return saved;
}

export function createContactUpdateStore(ctx: StoreContext) {
	return {
		/**
		 * Saves a webhook's contact update with its delivery claim in one statement: alone when the
		 * store is idle, or together with concurrent updates (group commit). All of it is written,
		 * or nothing. A lost race for the email fails with the unique violation (nothing written);
		 * run it again to see the email taken.
		 * @throws StoreUnavailableError when the database is unreachable.
		 */
		saveContactUpdate(u: ContactUpdate): Promise<SavedContactUpdate> {
			// With a claim, the window is the same for all of a batcher's items (it is in the key).
			const windowMs = u.claim ? u.claim.windowMs : null;
			const batcher = storeBatcher<ContactUpdate, SavedContactUpdate>(
				ctx.database,
				`updatecontact:${windowMs ?? "-"}`,
				() => ({
					runBatch: (items) => runUpdates({ ctx }, items, windowMs),
					failsAll: (err) => err instanceof StoreUnavailableError,
				}),
			);
			return batcher.run(u);
		},
	};
}

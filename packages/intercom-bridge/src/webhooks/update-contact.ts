/**
 * `POST {basePath}/updatecontact`: what an Intercom Series sends to copy a person's attributes to
 * the contact with the GUID it knows (docs/reference-behaviour.md, "Webhook: update contact"). Fields
 * are mapped and truncated as in the reference; only non-empty values overwrite; the email is set
 * only when valid and not used by another contact. Without an `onUpdateContact` hook, the claim,
 * the email check, the fields and the declarative custom fields are saved by one statement; a hook
 * runs in a transaction with the update. Either way all of it is saved, or nothing.
 */

import { StoreUnavailableError } from "../errors.ts";
import {
	CONTACT_FIELD_LIMITS,
	type ContactFieldName,
	checkContactFields,
	isValidEmail,
	truncate,
} from "../store/contact-fields.ts";
import { findContact, resolveContactGuidText } from "../store/contact-store.ts";
import type { Store } from "../store/create-store.ts";
import type { Tx } from "../store/database.ts";
import { isUniqueViolation } from "../store/db-errors.ts";
import { type PreparedStatement, preparedStatement, runInTransaction } from "../store/prepared-statement.ts";
import { contacts } from "../store/schema.ts";
import { RUN_AGAIN } from "../store/statement-batcher.ts";
import { storeBatcher } from "../store/store-batcher.ts";
import { type BodyFields, bodyFields, contactGuidOf } from "./body-fields.ts";
import {
	claimDeliveryText,
	claimWebhookDelivery,
	noteWebhookDelivery,
	seriesDeliveryKey,
} from "./claim-webhook-delivery.ts";
import type {
	ResolvedWebhookOptions,
	WebhookHandlerContext,
	WebhookRequest,
} from "./resolve-webhook-options.ts";
import { WebhookHttpError } from "./webhook-http-error.ts";
import type { UpdateContactEvent } from "./webhook-options.ts";

/** Body keys of the reference and the contact fields they fill (the email is handled apart). */
export const UPDATE_CONTACT_KEYS: ReadonlyArray<readonly [string, Exclude<ContactFieldName, "email">]> = [
	["ContactFirstName", "firstName"],
	["ContactMiddleName", "middleName"],
	["ContactLastName", "lastName"],
	["ContactJobTitle", "jobTitle"],
	["ContactAddress1", "address1"],
	["ContactCity", "city"],
	["ContactZIP", "zip"],
	["ContactMobilePhone", "mobilePhone"],
	["ContactBusinessPhone", "businessPhone"],
	["ContactNotes", "notes"],
	["ContactCompanyName", "companyName"],
];

/** Why a value was not applied. */
export interface SkippedField {
	key: string;
	reason: "invalid_email" | "email_taken";
}

const contactNotFound = () => new WebhookHttpError(404, "NOT_FOUND", "Contact not found.");

const REJECT_CODES = {
	400: "VALIDATION_FAILED",
	403: "FORBIDDEN",
	409: "CONFLICT",
	422: "VALIDATION_FAILED",
} as const;

/** Values of the declaratively mapped custom fields present in the body. */
function mappedCustomFields(fields: BodyFields, options: ResolvedWebhookOptions): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	for (const [bodyKey, mapping] of options.customFields) {
		const raw = fields.get(bodyKey);
		if (raw === undefined || raw === null) continue;
		if (typeof raw === "string") {
			const text = fields.text(bodyKey);
			if (text !== null) out[mapping.field] = truncate(text, mapping.maxLength ?? null);
		} else if ((typeof raw === "number" && Number.isFinite(raw)) || typeof raw === "boolean") {
			out[mapping.field] = raw;
		} else {
			throw new WebhookHttpError(
				400,
				"VALIDATION_FAILED",
				`${bodyKey} must be a string, a number or a boolean.`,
			);
		}
	}
	return out;
}

/** What {@link saveUpdate} writes. */
interface Update {
	guid: string;
	/** Checked contact columns (by field name) to overwrite. */
	set: Partial<Record<Exclude<ContactFieldName, "email">, string | null>>;
	/** Custom fields merged into the contact's. */
	custom: Record<string, unknown> | undefined;
	/** A valid email to set unless another contact has it; null to leave the email alone. */
	email: string | null;
	/** The delivery to claim in the same statement (null: claimed already, or no dedup). */
	claim: { siteId: number; deliveryKey: string; windowMs: number; detail: string | null } | null;
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
	const columns = UPDATE_CONTACT_KEYS.map(([, name]) => contacts[name].name);
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

type Saved = { guid: string | null; claimed: boolean; emailTaken: boolean };

type Row = { guid: string | null; claimed: boolean; email_taken: boolean; done: boolean };

/** Runs {@link updateStatement} for `items` on the store or in a transaction. */
async function runUpdates(
	target: { store: Store } | { tx: Tx },
	items: readonly Update[],
	windowMs: number | null,
): Promise<Array<Saved | typeof RUN_AGAIN>> {
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
		for (const [, name] of UPDATE_CONTACT_KEYS) row[contacts[name].name] = one.set[name] ?? null;
		return row;
	});
	const statement = windowMs === null ? UPDATE : UPDATE_CLAIMED;
	const values = windowMs === null ? [JSON.stringify(rows)] : [JSON.stringify(rows), windowMs / 1000];
	const result =
		"store" in target
			? await target.store.runStatement<Row>(statement, values)
			: await runInTransaction<Row>(target.tx, statement.text, values);
	return result.map((row) =>
		row.done ? { guid: row.guid, claimed: row.claimed, emailTaken: row.email_taken } : RUN_AGAIN,
	);
}

/**
 * Saves an update inside a transaction (`tx`), or on the store: alone when the store is idle, or
 * together with concurrent updates in one statement (group commit). `guid` is the contact's (the
 * survivor's, for a merged GUID), or null for an unknown contact.
 */
async function saveUpdate(target: { store: Store } | { tx: Tx }, u: Update): Promise<Saved> {
	// With a claim, the window is the same for all of a batcher's items (it is in the key).
	const windowMs = u.claim ? u.claim.windowMs : null;
	if ("tx" in target) {
		const [saved] = await runUpdates(target, [u], windowMs);
		// The first (here only) row of a statement always goes in.
		if (!saved || saved === RUN_AGAIN) throw new Error("the update statement returned no row");
		return saved;
	}
	const { store } = target;
	const batcher = storeBatcher<Update, Saved>(store, `updatecontact:${windowMs ?? "-"}`, () => ({
		runBatch: (items) => runUpdates({ store }, items, windowMs),
		failsAll: (err) => err instanceof StoreUnavailableError,
	}));
	return batcher.run(u);
}

/**
 * Runs `save`, once more when it lost a race for the email (the unique index refused the statement,
 * so nothing was written): the second run sees the email taken and skips it.
 */
async function withEmailRace<T>(save: () => Promise<T>): Promise<T> {
	try {
		return await save();
	} catch (err) {
		if (!isUniqueViolation(err)) throw err;
		return save();
	}
}

/** Handles one authenticated update-contact request. */
export async function updateContact(ctx: WebhookHandlerContext, request: WebhookRequest): Promise<Response> {
	const fields = bodyFields(request.body);
	const guid = contactGuidOf(fields);
	const patch: Partial<Record<ContactFieldName, string>> = {};
	for (const [key, name] of UPDATE_CONTACT_KEYS) {
		const value = fields.text(key);
		if (value !== null) patch[name] = truncate(value, CONTACT_FIELD_LIMITS[name]);
	}
	const email = fields.text("ContactEmail");
	const customFields = mappedCustomFields(fields, ctx.options);
	const key = seriesDeliveryKey(request, fields, ctx.options.dedupWindowMs);
	const invalidEmail = email !== null && !isValidEmail(email);
	const update = (custom: Record<string, unknown>): Omit<Update, "claim"> => {
		const { customFields: checkedCustom, ...set } = checkContactFields({
			...patch,
			...(Object.keys(custom).length > 0 ? { customFields: custom } : {}),
		});
		return { guid, set, custom: checkedCustom, email: invalidEmail ? null : email };
	};
	const hook = ctx.options.onUpdateContact;

	const saved = await withEmailRace(async () => {
		if (!hook) {
			// The common case: everything in one statement.
			const claimInput = key
				? {
						siteId: request.site.id,
						deliveryKey: key.deliveryKey,
						windowMs: key.windowMs,
						detail: invalidEmail ? "ContactEmail: invalid_email" : null,
					}
				: null;
			const u = { ...update(customFields), claim: claimInput };
			const r = await saveUpdate({ store: ctx.store }, u);
			if (r.guid === null) throw contactNotFound();
			return r.claimed ? { ...r, guid: r.guid, custom: u.custom } : null;
		}
		// A hook sees the contact before the update and may change it or reject: one transaction.
		return ctx.store.transaction(async (tx) => {
			if (
				key &&
				!(await claimWebhookDelivery(tx, {
					siteId: request.site.id,
					endpoint: "updatecontact",
					deliveryKey: key.deliveryKey,
					status: "updated",
					windowMs: key.windowMs,
				}))
			) {
				return null;
			}
			const contact = await findContact(tx, guid);
			if (!contact) throw contactNotFound();
			const event: UpdateContactEvent = {
				body: request.body,
				field: (key) => fields.get(key),
				contact,
				site: { id: request.site.id, codeName: request.site.codeName },
				customFields,
				reject(reason, status = 400) {
					throw new WebhookHttpError(status, REJECT_CODES[status], String(reason));
				},
			};
			await hook(event);
			const u = { ...update(customFields), claim: null };
			const r = await saveUpdate({ tx }, u);
			if (r.guid === null) throw contactNotFound(); // merged away since it was read
			const skipped = invalidEmail ? "invalid_email" : r.emailTaken ? "email_taken" : null;
			if (key && skipped) {
				const delivery = { siteId: request.site.id, endpoint: "updatecontact", deliveryKey: key.deliveryKey };
				await noteWebhookDelivery(tx, delivery, `ContactEmail: ${skipped}`);
			}
			return { ...r, guid: r.guid, custom: u.custom };
		});
	});
	const result = saved && {
		contactGuid: saved.guid,
		updated: [
			...UPDATE_CONTACT_KEYS.filter(([, name]) => patch[name] !== undefined).map(([key]) => key),
			...(email !== null && !invalidEmail && !saved.emailTaken ? ["ContactEmail"] : []),
			...Object.keys(saved.custom ?? {}),
		],
		skipped: [
			...(invalidEmail ? [{ key: "ContactEmail", reason: "invalid_email" } as const] : []),
			...(saved.emailTaken ? [{ key: "ContactEmail", reason: "email_taken" } as const] : []),
		] satisfies SkippedField[],
	};

	if (result === null) {
		ctx.logger.info({ site: request.site.codeName, endpoint: "updatecontact" }, "webhook: duplicate ignored");
		return request.respond({ status: "duplicate" });
	}
	ctx.logger.info(
		{
			site: request.site.codeName,
			endpoint: "updatecontact",
			fields: result.updated.length,
			skipped: result.skipped,
		},
		"webhook: contact updated",
	);
	return request.respond({ status: "updated", ...result });
}

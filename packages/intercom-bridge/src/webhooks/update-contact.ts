/**
 * `POST {basePath}/updatecontact`: what an Intercom Series sends to copy a person's attributes to
 * the contact with the GUID it knows (reference-behaviour.md, "Webhook: update contact"). Fields
 * are mapped and truncated as in the reference; only non-empty values overwrite; the email is set
 * only when valid and not used by another contact. Without an `onUpdateContact` hook, the claim,
 * the email check, the fields and the declarative custom fields are saved by one statement; a hook
 * runs in a transaction with the update. Either way all of it is saved, or nothing.
 */

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
import { type BodyFields, bodyFields, contactGuidOf } from "./body-fields.ts";
import {
	bodyDeliveryKey,
	claimDeliveryText,
	claimWebhookDelivery,
	noteWebhookDelivery,
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
 * The update as one statement (one round trip, atomic without a transaction): resolve the GUID,
 * check the email is free, claim the delivery, update. A refused claim (duplicate) or an unknown
 * contact updates nothing. Its shape is fixed, so it is prepared once per connection: every
 * field is a parameter, and null keeps the contact's value ("only non-empty values overwrite").
 * $1 GUID, $2… the fields of UPDATE_CONTACT_KEYS, then custom fields (jsonb), email, and with a
 * claim: site, delivery key, window (s), detail.
 */
function updateStatement(withClaim: boolean): PreparedStatement {
	const n = UPDATE_CONTACT_KEYS.length;
	const [custom, email, site, key, windowSecs, detail] = [n + 2, n + 3, n + 4, n + 5, n + 6, n + 7].map(
		(i) => `$${i}`,
	);
	const assignments = [
		...UPDATE_CONTACT_KEYS.map(([, name], i) => {
			const column = contacts[name].name;
			return `${column} = coalesce($${i + 2}::text, c.${column})`;
		}),
		`custom_fields = case when ${custom}::jsonb is null then c.custom_fields else c.custom_fields || ${custom}::jsonb end`,
		`email = case when ${email}::text is null or (select taken from taken) then c.email else ${email}::text end`,
		"updated_at = now()",
	];
	const claim = claimDeliveryText({
		from: "target",
		siteId: `${site}::int`,
		endpoint: "'updatecontact'",
		deliveryKey: `${key}::text`,
		status: "'updated'",
		windowSecs: `${windowSecs}::float8`,
		detail: `case when (select taken from taken) then 'ContactEmail: email_taken' else ${detail}::text end`,
	});
	return preparedStatement(
		withClaim ? "update_contact_claimed" : "update_contact",
		`with target as (${resolveContactGuidText("$1::uuid")}),
		taken as (
			select exists (select 1 from contacts c, target t
				where lower(c.email) = lower(${email}::text) and c.guid <> t.guid) as taken
		),
		${withClaim ? `claim as (${claim}),` : ""}
		updated as (
			update contacts c set ${assignments.join(", ")}
			from target t
			where c.guid = t.guid ${withClaim ? "and exists (select 1 from claim)" : ""}
			returning c.guid
		)
		select (select guid from target) as guid,
			${withClaim ? "exists (select 1 from claim)" : "true"} as claimed,
			(select taken from taken) as email_taken`,
	);
}

const UPDATE = updateStatement(false);
const UPDATE_CLAIMED = updateStatement(true);

/**
 * Saves an update: on the store in one prepared statement, or inside a transaction (`tx`).
 * `guid` is the contact's (the survivor's, for a merged GUID), or null for an unknown contact.
 */
async function saveUpdate(
	target: { store: Store } | { tx: Tx },
	u: Update,
): Promise<{ guid: string | null; claimed: boolean; emailTaken: boolean }> {
	const values: unknown[] = [
		u.guid,
		...UPDATE_CONTACT_KEYS.map(([, name]) => u.set[name] ?? null),
		u.custom ? JSON.stringify(u.custom) : null,
		u.email,
		...(u.claim ? [u.claim.siteId, u.claim.deliveryKey, u.claim.windowMs / 1000, u.claim.detail] : []),
	];
	const statement = u.claim ? UPDATE_CLAIMED : UPDATE;
	type Row = { guid: string | null; claimed: boolean; email_taken: boolean };
	const [row] =
		"store" in target
			? await target.store.runStatement<Row>(statement, values)
			: await runInTransaction<Row>(target.tx, statement.text, values);
	if (!row) throw new Error("the update statement returned no row");
	return { guid: row.guid, claimed: row.claimed, emailTaken: row.email_taken };
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
	const claim = {
		siteId: request.site.id,
		endpoint: "updatecontact",
		deliveryKey: bodyDeliveryKey(request.bytes),
	};
	const dedup = ctx.options.dedupWindowMs > 0;
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
			const claimInput = dedup
				? {
						...claim,
						windowMs: ctx.options.dedupWindowMs,
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
				dedup &&
				!(await claimWebhookDelivery(tx, {
					...claim,
					status: "updated",
					windowMs: ctx.options.dedupWindowMs,
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
			if (dedup && skipped) await noteWebhookDelivery(tx, claim, `ContactEmail: ${skipped}`);
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

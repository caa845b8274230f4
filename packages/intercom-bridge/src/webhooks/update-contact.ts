/**
 * `POST {basePath}/updatecontact`: what an Intercom Series sends to copy a person's attributes to
 * the contact with the GUID it knows (reference-behaviour.md, "Webhook: update contact"). Fields
 * are mapped and truncated as in the reference; only non-empty values overwrite; the email is set
 * only when valid and not used by another contact. The `onUpdateContact` hook and the declarative
 * custom fields run in the same transaction as the update: all of it is saved, or nothing.
 */
import { and, eq, ne, sql } from "drizzle-orm";
import {
	CONTACT_FIELD_LIMITS,
	type ContactFieldName,
	checkContactFields,
	isValidEmail,
	truncate,
} from "../store/contact-fields.ts";
import { findContact } from "../store/contact-store.ts";
import type { Tx } from "../store/database.ts";
import { isUniqueViolation } from "../store/db-errors.ts";
import { contacts } from "../store/schema.ts";
import { type BodyFields, bodyFields, contactGuidOf } from "./body-fields.ts";
import { bodyDeliveryKey, claimWebhookDelivery, noteWebhookDelivery } from "./claim-webhook-delivery.ts";
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

/** Sets the email in a savepoint, so a concurrent taker (unique index) skips it instead of failing all. */
async function setEmail(tx: Tx, guid: string, email: string): Promise<boolean> {
	const [other] = await tx
		.select({ guid: contacts.guid })
		.from(contacts)
		.where(and(sql`lower(${contacts.email}) = lower(${email})`, ne(contacts.guid, guid)))
		.limit(1);
	if (other) return false;
	try {
		await tx.transaction((sp) => sp.update(contacts).set({ email }).where(eq(contacts.guid, guid)));
		return true;
	} catch (err) {
		if (isUniqueViolation(err)) return false;
		throw err;
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

	const result = await ctx.store.transaction(async (tx) => {
		if (
			dedup &&
			!(await claimWebhookDelivery(tx, { ...claim, status: "updated", windowMs: ctx.options.dedupWindowMs }))
		) {
			return null;
		}
		const contact = await findContact(tx, guid);
		if (!contact) throw new WebhookHttpError(404, "NOT_FOUND", "Contact not found.");
		if (ctx.options.onUpdateContact) {
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
			await ctx.options.onUpdateContact(event);
		}
		const hasCustom = Object.keys(customFields).length > 0;
		const checked = checkContactFields({ ...patch, ...(hasCustom ? { customFields } : {}) });
		const { customFields: custom, ...set } = checked;
		await tx
			.update(contacts)
			.set({
				...set,
				...(custom
					? { customFields: sql`${contacts.customFields} || ${JSON.stringify(custom)}::jsonb` }
					: {}),
				updatedAt: sql`now()`,
			})
			.where(eq(contacts.guid, contact.guid));
		const skipped: SkippedField[] = [];
		if (email !== null) {
			if (!isValidEmail(email)) skipped.push({ key: "ContactEmail", reason: "invalid_email" });
			else if (!(await setEmail(tx, contact.guid, email)))
				skipped.push({ key: "ContactEmail", reason: "email_taken" });
		}
		if (dedup && skipped.length > 0) {
			await noteWebhookDelivery(tx, claim, skipped.map((s) => `${s.key}: ${s.reason}`).join("; "));
		}
		const updated = [
			...UPDATE_CONTACT_KEYS.filter(([, name]) => patch[name] !== undefined).map(([key]) => key),
			...(email !== null && skipped.length === 0 ? ["ContactEmail"] : []),
			...Object.keys(custom ?? {}),
		];
		return { contactGuid: contact.guid, updated, skipped };
	});

	if (result === null) {
		ctx.logger.info({ site: request.site.codeName, endpoint: "updatecontact" }, "webhook: duplicate ignored");
		return Response.json({ status: "duplicate" });
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
	return Response.json({ status: "updated", ...result });
}

/**
 * `POST {basePath}/updatecontact`: what an Intercom Series sends to copy a person's attributes to
 * the contact with the GUID it knows (docs/reference-behaviour.md, "Webhook: update contact"). Fields
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
import { findContact } from "../store/contact-store.ts";
import {
	type ContactUpdate,
	saveContactUpdateIn,
	type UpdatableContactField,
} from "../store/contact-update.ts";
import { isUniqueViolation } from "../store/db-errors.ts";
import { claimDelivery, noteDelivery } from "../store/delivery-store.ts";
import { type BodyFields, bodyFields, contactGuidOf } from "./body-fields.ts";
import { seriesDeliveryKey } from "./claim-webhook-delivery.ts";
import type {
	ResolvedWebhookOptions,
	WebhookHandlerContext,
	WebhookRequest,
} from "./resolve-webhook-options.ts";
import { WebhookHttpError } from "./webhook-http-error.ts";
import type { UpdateContactEvent } from "./webhook-options.ts";

/** Body keys of the reference and the contact fields they fill (the email is handled apart). */
export const UPDATE_CONTACT_KEYS: ReadonlyArray<readonly [string, UpdatableContactField]> = [
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
	const update = (custom: Record<string, unknown>): Omit<ContactUpdate, "claim"> => {
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
			const r = await ctx.store.saveContactUpdate(u);
			if (r.guid === null) throw contactNotFound();
			return r.claimed ? { ...r, guid: r.guid, custom: u.custom } : null;
		}
		// A hook sees the contact before the update and may change it or reject: one transaction.
		return ctx.store.transaction(async (tx) => {
			if (
				key &&
				!(await claimDelivery(tx, {
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
			const r = await saveContactUpdateIn(tx, u);
			if (r.guid === null) throw contactNotFound(); // merged away since it was read
			const skipped = invalidEmail ? "invalid_email" : r.emailTaken ? "email_taken" : null;
			if (key && skipped) {
				const delivery = { siteId: request.site.id, endpoint: "updatecontact", deliveryKey: key.deliveryKey };
				await noteDelivery(tx, delivery, `ContactEmail: ${skipped}`);
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

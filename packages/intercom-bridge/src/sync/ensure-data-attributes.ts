/**
 * Custom data attributes for a site's contacts (docs/decisions/0029). Intercom refuses a contact's
 * `custom_attributes` key that is not an existing data attribute, or a value of another type
 * (docs/intercom.md §1.3), so before the contact sync sends custom attributes it calls
 * {@link ensureDataAttributes}: the first time (and whenever the mapping changes, or after "Check
 * again" in the console) it lists the workspace's attributes once, creates the missing ones once,
 * and records what it found per attribute in the store; later calls answer from that record
 * without asking Intercom. An attribute that exists with another type is a mismatch: recorded,
 * shown on the site's "Intercom data access" page, left out of what is sent, and not retried
 * (Intercom cannot change an attribute's type through the API) until the mapping changes or an
 * operator presses "Check again".
 *
 * @example
 * const mapping = { "customFields.plan": { attribute: "plan", type: "string" },
 *                   "customFields.seats": { attribute: "seats", type: "integer" } };
 * const { usable } = await ensureDataAttributes({ store, siteId, client, mapping });
 * body.custom_attributes = mappedCustomAttributes(contact, usable);
 */
import { createHash } from "node:crypto";
import { IntercomApiError, IntercomAuthError, ValidationError } from "../errors.ts";
import type { DataAttributesApi } from "../intercom/data-attributes.ts";
import { DATA_ATTRIBUTE_TYPES, validateDataAttributeInput } from "../intercom/data-attributes.ts";
import type { DataAttribute, DataAttributeType } from "../intercom/intercom-types.ts";
import type { Store } from "../store/create-store.ts";
import type { DataAttributeCheck } from "../store/data-attribute-store.ts";

/** One mapped field: the Intercom custom data attribute it fills, and its type there. */
export interface DataAttributeTarget {
	/** The attribute's name in Intercom (its key in `custom_attributes`). */
	attribute: string;
	/** `string`, `integer`, `float`, `boolean` or `date` (Unix seconds in Intercom). */
	type: DataAttributeType;
	/** Shown in Intercom beside the attribute when we create it. */
	description?: string;
}

/**
 * A site's custom data attribute mapping: contact field → Intercom attribute. A field is a
 * contact property (`companyName`, `jobTitle`) or a custom field (`customFields.plan`), as in the
 * Messenger's `customAttributes` map.
 */
export type DataAttributeMapping = Readonly<Record<string, DataAttributeTarget>>;

/** A mapped field Intercom can take. */
export interface UsableAttribute extends DataAttributeTarget {
	field: string;
}

/** What {@link ensureDataAttributes} answers. */
export interface EnsuredDataAttributes {
	/** The mapped fields whose attribute exists with the mapped type: send only these. */
	usable: UsableAttribute[];
	/** The record per attribute, as the console shows it. */
	checks: DataAttributeCheck[];
	/** Whether Intercom was asked this time (false: answered from the record). */
	checkedNow: boolean;
}

const FIELD = /^(customFields\.)?[A-Za-z_][A-Za-z0-9_.-]{0,99}$/;

/**
 * Checks a mapping: field paths, attribute names Intercom accepts, known types, no attribute twice.
 * @throws {ValidationError} naming the field at fault.
 */
export function checkDataAttributeMapping(mapping: DataAttributeMapping): void {
	const seen = new Map<string, string>();
	for (const [field, target] of Object.entries(mapping)) {
		if (!FIELD.test(field)) {
			throw new ValidationError(
				`Data attribute mapping: "${field}" is not a contact field (e.g. "companyName" or "customFields.plan").`,
				field,
			);
		}
		if (typeof target !== "object" || target === null) {
			throw new ValidationError(`Data attribute mapping: "${field}" needs { attribute, type }.`, field);
		}
		validateDataAttributeInput({ name: target.attribute, dataType: target.type });
		const other = seen.get(target.attribute);
		if (other !== undefined) {
			throw new ValidationError(
				`Data attribute mapping: "${field}" and "${other}" both fill the attribute "${target.attribute}".`,
				field,
			);
		}
		seen.set(target.attribute, field);
	}
}

/** Hash of a mapping, independent of key order: a changed mapping is checked again. */
export function dataAttributeMappingHash(mapping: DataAttributeMapping): string {
	const entries = Object.entries(mapping)
		.map(([field, t]) => [field, t.attribute, t.type, t.description ?? ""])
		.sort((a, b) => (a[0] as string).localeCompare(b[0] as string));
	return createHash("sha256").update(JSON.stringify(entries)).digest("hex");
}

/** Whether an Intercom failure may go away by itself (then nothing is recorded and the caller retries). */
function transient(err: unknown): boolean {
	if (err instanceof IntercomAuthError) return true; // the site may be reconnected
	if (err instanceof IntercomApiError) {
		const s = err.httpStatus;
		return s === 0 || s === 408 || s === 429 || s >= 500;
	}
	return true;
}

type Check = Omit<DataAttributeCheck, "mappingHash" | "checkedAt">;

function judge(wanted: DataAttributeTarget, found: DataAttribute | undefined): Check | undefined {
	if (!found) return undefined;
	const base = {
		attribute: wanted.attribute,
		wantedType: wanted.type,
		intercomType: found.data_type ?? null,
	};
	if (found.custom === false) {
		return {
			...base,
			status: "failed",
			message: `"${wanted.attribute}" is one of Intercom's standard attributes, not a custom one: map the field to another name.`,
		};
	}
	if (found.data_type !== wanted.type) {
		return {
			...base,
			status: "mismatch",
			message: `Intercom has "${wanted.attribute}" as ${found.data_type ?? "an unknown type"}, the mapping says ${wanted.type}. Intercom cannot change a type through its API: change the mapping's type, or archive the attribute in Intercom and create it again, then press "Check again".`,
		};
	}
	return { ...base, status: "ok", message: null };
}

const contactAttributes = (list: DataAttribute[]) =>
	new Map(list.filter((a) => a.model === undefined || a.model === "contact").map((a) => [a.name ?? "", a]));

/**
 * Makes sure the site's mapped attributes exist in its workspace, once per mapping, and says which
 * mapped fields are usable. Answers from the store's record while the mapping is unchanged.
 * @throws {ValidationError} for a bad mapping; `IntercomApiError`/`IntercomAuthError` when
 *   Intercom cannot be asked now (rate limit, 5xx, no answer, refused token): nothing is recorded,
 *   the caller retries later (a contact sync job fails and pg-boss retries it).
 */
export async function ensureDataAttributes(input: {
	store: Pick<Store, "listDataAttributeChecks" | "saveDataAttributeChecks">;
	siteId: number;
	client: { dataAttributes: Pick<DataAttributesApi, "list" | "create"> };
	mapping: DataAttributeMapping;
}): Promise<EnsuredDataAttributes> {
	const { store, siteId, client, mapping } = input;
	checkDataAttributeMapping(mapping);
	const hash = dataAttributeMappingHash(mapping);
	const targets = Object.entries(mapping).map(([field, t]) => ({ field, ...t }));
	const usableFrom = (checks: DataAttributeCheck[]) =>
		targets.filter((t) =>
			checks.some((c) => c.attribute === t.attribute && (c.status === "ok" || c.status === "created")),
		);

	const recorded = await store.listDataAttributeChecks(siteId);
	const upToDate =
		recorded.length === targets.length &&
		recorded.every((c) => c.mappingHash === hash) &&
		targets.every((t) => recorded.some((c) => c.attribute === t.attribute));
	if (upToDate) return { usable: usableFrom(recorded), checks: recorded, checkedNow: false };

	let existing = contactAttributes(await client.dataAttributes.list());
	const checks: Check[] = [];
	for (const target of targets) {
		const judged = judge(target, existing.get(target.attribute));
		if (judged) {
			checks.push(judged);
			continue;
		}
		try {
			const created = await client.dataAttributes.create({
				name: target.attribute,
				dataType: target.type,
				...(target.description !== undefined && { description: target.description }),
			});
			checks.push({
				attribute: target.attribute,
				wantedType: target.type,
				status: "created",
				intercomType: created.data_type ?? target.type,
				message: null,
			});
		} catch (err) {
			if (transient(err)) throw err;
			// Another instance may have created it meanwhile ("You already have …"): look once more.
			existing = contactAttributes(await client.dataAttributes.list({ includeArchived: true }));
			const found = existing.get(target.attribute);
			const again = found?.archived ? undefined : judge(target, found);
			checks.push(
				again ?? {
					attribute: target.attribute,
					wantedType: target.type,
					status: "failed",
					intercomType: found?.data_type ?? null,
					message: found?.archived
						? `"${target.attribute}" exists in Intercom but is archived: unarchive it there, or map the field to another name, then press "Check again".`
						: `Intercom refused to create "${target.attribute}": ${(err as Error).message}`,
				},
			);
		}
	}
	await store.saveDataAttributeChecks(siteId, hash, checks);
	const saved = await store.listDataAttributeChecks(siteId);
	return { usable: usableFrom(saved), checks: saved, checkedNow: true };
}

function readField(contact: object, field: string): unknown {
	if (field.startsWith("customFields.")) {
		const custom = (contact as { customFields?: Record<string, unknown> }).customFields;
		return custom?.[field.slice("customFields.".length)];
	}
	return (contact as Record<string, unknown>)[field];
}

/** A value as the attribute's type wants it, or undefined when it cannot be one (it is then left out). */
export function coerceAttributeValue(
	type: DataAttributeType,
	value: unknown,
): string | number | boolean | null | undefined {
	if (value === null) return null;
	if (value === undefined) return undefined;
	switch (type) {
		case "string":
			return typeof value === "string" || typeof value === "number" || typeof value === "boolean"
				? String(value)
				: undefined;
		case "integer": {
			const n = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
			return typeof n === "number" && Number.isSafeInteger(n) ? n : undefined;
		}
		case "float": {
			const n = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
			return typeof n === "number" && Number.isFinite(n) ? n : undefined;
		}
		case "boolean":
			if (typeof value === "boolean") return value;
			return value === "true" ? true : value === "false" ? false : undefined;
		case "date": {
			const ms =
				value instanceof Date ? value.getTime() : typeof value === "string" ? Date.parse(value) : Number.NaN;
			if (Number.isFinite(ms)) return Math.floor(ms / 1000);
			return typeof value === "number" && Number.isInteger(value) && value >= 0 ? value : undefined;
		}
	}
}

/**
 * The `custom_attributes` of a contact for the usable mapped fields: each value converted to its
 * attribute's type; a field without a value, or one that cannot be converted, is left out.
 */
export function mappedCustomAttributes(
	contact: object,
	usable: readonly UsableAttribute[],
): Record<string, string | number | boolean | null> {
	const out: Record<string, string | number | boolean | null> = {};
	for (const target of usable) {
		const value = coerceAttributeValue(target.type, readField(contact, target.field));
		if (value !== undefined) out[target.attribute] = value;
	}
	return out;
}

/** The types a mapping may use. */
export const MAPPABLE_TYPES: readonly DataAttributeType[] = DATA_ATTRIBUTE_TYPES;

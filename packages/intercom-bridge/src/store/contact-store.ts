/**
 * Contacts: the people who visit the site. A contact is known by its GUID; a GUID that was merged
 * into another contact keeps resolving to the surviving contact.
 */
import { randomUUID } from "node:crypto";
import { and, asc, count, desc, eq, exists, gt, ilike, inArray, ne, or, type SQL, sql } from "drizzle-orm";
import { NotFoundError, ValidationError } from "../errors.ts";
import { CONTACT_FIELD_NAMES, type ContactFields, checkContactFields } from "./contact-fields.ts";
import { type Queryable, rowsOf } from "./database.ts";
import { guidHash } from "./guid-hash.ts";
import { markContactForSync } from "./job-store.ts";
import { activities, consentAgreements, contactMerges, contacts, disclosures } from "./schema.ts";
import { guard, type StoreContext } from "./store-context.ts";

export type Contact = typeof contacts.$inferSelect;

/** The most contacts one page of `listContacts` holds. */
export const MAX_CONTACTS_PAGE = 500;

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for a GUID in the 8-4-4-4-12 hex form (any version, either case). */
export function isGuid(value: unknown): value is string {
	return typeof value === "string" && UUID_RE.test(value);
}

function requireGuid(value: string, what = "contact GUID"): string {
	if (!isGuid(value))
		throw new ValidationError(`"${value}" is not a valid ${what} (expected 8-4-4-4-12 hex).`, "guid");
	return value.toLowerCase();
}

const emailTaken = (email: string) => `The email ${email} is already used by another contact.`;

/**
 * The contact with this GUID, or the one this (old, merged) GUID now points to: two primary-key
 * look-ups. (Written as IN over a UNION ALL because `guid = $1 OR guid IN (subquery)` cannot use
 * the index: PostgreSQL scanned the whole table for it.)
 */
function isGuidOrMergedInto(guid: string): SQL {
	return sql`${contacts.guid} in (select ${guid}::uuid union all select ${contactMerges.intoGuid} from ${contactMerges} where ${contactMerges.oldGuid} = ${guid}::uuid)`;
}

/** The query of {@link findContact}, for tests that check its plan. */
export function findContactQuery(q: Queryable, guid: string) {
	return q.select().from(contacts).where(isGuidOrMergedInto(guid)).limit(1);
}

/**
 * A SELECT of the one `guid` that a GUID resolves to (itself, or the contact an old GUID was merged
 * into), for statements that do their work in CTEs; no row for an unknown GUID. `guid` is an SQL
 * expression of type uuid, e.g. `$1::uuid`. Two equalities on primary keys, not `guid in (…)`: on
 * PGlite (no autovacuum, so no statistics) the planner took the IN for a semi-join over a seq scan
 * of contacts, half the table read for each webhook row (docs/decisions/0039). The merge's
 * `into_guid` needs no lookup: its foreign key keeps it a contact.
 */
export function resolveContactGuidText(guid: string): string {
	return `select guid from (
			select guid from contacts where guid = ${guid}
			union all
			select into_guid from contact_merges where old_guid = ${guid}
		) resolved limit 1`;
}

/**
 * The old GUIDs merged into the contact `guid` (Intercom and the logs may know the person by any of
 * them). `guid` must be a contact's current GUID.
 */
export async function mergedGuids(q: Queryable, guid: string): Promise<string[]> {
	const rows = await q
		.select({ guid: contactMerges.oldGuid })
		.from(contactMerges)
		.where(eq(contactMerges.intoGuid, guid.toLowerCase()));
	return rows.map((r) => r.guid);
}

/** Looks a contact up by GUID or by a merged (old) GUID, in one indexed query. */
export async function findContact(q: Queryable, guid: string): Promise<Contact | null> {
	const [row] = await findContactQuery(q, guid);
	return row ?? null;
}

/** Fills a contact's empty fields from another's; the target's values win. */
function fillBlanks(target: Contact, source: Contact): ContactFields {
	const patch: ContactFields = {};
	for (const name of CONTACT_FIELD_NAMES) {
		if ((target[name] === null || target[name] === "") && source[name]) patch[name] = source[name];
	}
	patch.customFields = { ...source.customFields, ...target.customFields };
	return patch;
}

/**
 * Contacts have no site of their own (one person may visit several sites); a contact belongs to
 * the sites it has activities on or had its data sent to Intercom from (the disclosure log).
 * Null means every site.
 */
export type SiteScope = readonly number[] | null | undefined;

/** The condition "the contact in `guid` belongs to one of `siteIds`" (see {@link SiteScope}). */
function onSites(q: Queryable, guid: SQL | typeof contacts.guid, siteIds: readonly number[]): SQL {
	if (siteIds.length === 0) return sql`false`;
	const ids = [...siteIds];
	return or(
		exists(
			q
				.select({ one: sql`1` })
				.from(activities)
				.where(and(eq(activities.contactGuid, guid), inArray(activities.siteId, ids))),
		),
		// The disclosure log names a contact by the SHA-256 of its lowercase GUID (guid-hash.ts).
		exists(
			q
				.select({ one: sql`1` })
				.from(disclosures)
				.where(
					and(
						inArray(disclosures.siteId, ids),
						eq(disclosures.guidHash, sql`encode(sha256(convert_to(lower(${guid}::text), 'UTF8')), 'hex')`),
					),
				),
		),
	) as SQL;
}

export function createContactStore(ctx: StoreContext) {
	const { db } = ctx;

	return {
		/**
		 * Creates a contact. `guid` is generated unless given.
		 * @throws ValidationError for bad fields; ConflictError when the email or GUID is taken.
		 */
		async createContact(input: ContactFields & { guid?: string } = {}): Promise<Contact> {
			const guid = input.guid ? requireGuid(input.guid) : randomUUID();
			const fields = checkContactFields(input);
			const insert = async (q: Queryable) => {
				const [row] = await q
					.insert(contacts)
					.values({ guid, ...fields, customFields: fields.customFields ?? {} })
					.returning();
				if (!row) throw new Error("insert returned no row");
				return row;
			};
			// An anonymous visitor (every new one, on the page-view path) is nothing to sync: one INSERT.
			const named = [fields.email, fields.firstName, fields.lastName].some((v) => v?.trim());
			return guard(
				() =>
					named
						? db.transaction(async (tx) => {
								const row = await insert(tx);
								// A local change: sent to Intercom where a site syncs contacts (decision 0025).
								await markContactForSync(ctx, tx, row.guid);
								return row;
							})
						: insert(db),
				fields.email ? emailTaken(fields.email) : `A contact with GUID ${guid} already exists.`,
			);
		},

		/** A contact by GUID, following merges; null when there is none or the GUID is malformed. */
		async getContact(guid: string): Promise<Contact | null> {
			if (!isGuid(guid)) return null;
			return guard(() => findContact(db, guid.toLowerCase()));
		},

		/**
		 * The contact of a page view, with its latest action on each of `consentCodes`, in one
		 * indexed query (a page view of a known contact must cost at most one read). Follows merges.
		 */
		async getVisitorContact(
			guid: string,
			consentCodes: readonly string[],
		): Promise<{ contact: Contact; agreed: Record<string, boolean> } | null> {
			if (!isGuid(guid)) return null;
			const id = guid.toLowerCase();
			const codes = [...new Set(consentCodes)];
			const latest = codes.length
				? sql<Record<string, string> | null>`(
					select json_object_agg(l.code_name, l.action) from (
						select distinct on (k.code_name) k.code_name, a.action
						from consent_agreements a join consents k on k.id = a.consent_id
						where a.contact_guid = ${contacts.guid} and k.code_name in (${sql.join(
							codes.map((c) => sql`${c}`),
							sql`, `,
						)})
						order by k.code_name, a.at desc, a.id desc
					) l
				)`
				: sql<null>`null`;
			const [row] = await guard(() =>
				db.select({ contact: contacts, latest }).from(contacts).where(isGuidOrMergedInto(id)).limit(1),
			);
			if (!row) return null;
			const actions =
				typeof row.latest === "string"
					? (JSON.parse(row.latest) as Record<string, string>)
					: (row.latest ?? {});
			return {
				contact: row.contact,
				agreed: Object.fromEntries(codes.map((c) => [c, actions[c] === "agree"])),
			};
		},

		/** A contact by email, case-insensitively, or null. */
		async findContactByEmail(email: string): Promise<Contact | null> {
			const [row] = await guard(() =>
				db.select().from(contacts).where(sql`lower(${contacts.email}) = lower(${email.trim()})`).limit(1),
			);
			return row ?? null;
		},

		/** True when another contact than `exceptGuid` has this email (case-insensitively). */
		async isEmailTaken(email: string, exceptGuid?: string): Promise<boolean> {
			const conditions = [sql`lower(${contacts.email}) = lower(${email.trim()})`];
			if (exceptGuid && isGuid(exceptGuid)) conditions.push(ne(contacts.guid, exceptGuid.toLowerCase()));
			const [row] = await guard(() =>
				db
					.select({ guid: contacts.guid })
					.from(contacts)
					.where(and(...conditions))
					.limit(1),
			);
			return row !== undefined;
		},

		/**
		 * Updates fields of a contact (found by GUID or merged GUID). Fields not given are kept;
		 * `null` clears one. Custom fields are merged key by key unless `replaceCustomFields`.
		 * @throws NotFoundError, ValidationError, ConflictError (email taken).
		 */
		async updateContact(
			guid: string,
			input: ContactFields,
			options: { replaceCustomFields?: boolean } = {},
		): Promise<Contact> {
			const id = requireGuid(guid);
			const { customFields, ...fields } = checkContactFields(input);
			return guard(
				() =>
					db.transaction(async (tx) => {
						const current = await findContact(tx, id);
						if (!current) throw new NotFoundError(`Contact ${id} not found.`);
						const set: Record<string, unknown> = { ...fields, updatedAt: sql`now()` };
						if (customFields !== undefined) {
							set.customFields = options.replaceCustomFields
								? customFields
								: sql`${contacts.customFields} || ${JSON.stringify(customFields)}::jsonb`;
						}
						const [row] = await tx
							.update(contacts)
							.set(set)
							.where(eq(contacts.guid, current.guid))
							.returning();
						if (!row) throw new NotFoundError(`Contact ${id} not found.`);
						await markContactForSync(ctx, tx, row.guid);
						return row;
					}),
				fields.email ? emailTaken(fields.email) : undefined,
			);
		},

		/**
		 * Merges contact `fromGuid` into `intoGuid` in one transaction: activities and consent
		 * agreements move, blank fields of the survivor are filled from the other, the other contact
		 * is deleted, and its GUID (and every GUID merged into it before) resolves to the survivor.
		 * @returns the surviving contact.
		 * @throws NotFoundError when either contact is missing; ValidationError when both are the same.
		 */
		async mergeContacts(fromGuid: string, intoGuid: string): Promise<Contact> {
			const fromId = requireGuid(fromGuid);
			const intoId = requireGuid(intoGuid);
			return guard(() =>
				db.transaction(async (tx) => {
					const from = await findContact(tx, fromId);
					const into = await findContact(tx, intoId);
					if (!from) throw new NotFoundError(`Contact ${fromId} not found.`);
					if (!into) throw new NotFoundError(`Contact ${intoId} not found.`);
					if (from.guid === into.guid) {
						throw new ValidationError(`Contacts ${fromId} and ${intoId} are already the same contact.`);
					}
					// Lock both rows in a fixed order so two opposite merges cannot deadlock.
					const ordered = [from.guid, into.guid].sort();
					await tx
						.select({ g: contacts.guid })
						.from(contacts)
						.where(inArray(contacts.guid, ordered))
						.orderBy(asc(contacts.guid))
						.for("update");

					await tx
						.update(activities)
						.set({ contactGuid: into.guid })
						.where(eq(activities.contactGuid, from.guid));
					await tx
						.update(consentAgreements)
						.set({ contactGuid: into.guid })
						.where(eq(consentAgreements.contactGuid, from.guid));
					await tx
						.update(contactMerges)
						.set({ intoGuid: into.guid })
						.where(eq(contactMerges.intoGuid, from.guid));
					await tx.insert(contactMerges).values({ oldGuid: from.guid, intoGuid: into.guid });
					await tx.delete(contacts).where(eq(contacts.guid, from.guid));
					const { customFields, ...patch } = fillBlanks(into, from);
					const [row] = await tx
						.update(contacts)
						.set({ ...patch, customFields, updatedAt: sql`now()` })
						.where(eq(contacts.guid, into.guid))
						.returning();
					if (!row) throw new NotFoundError(`Contact ${intoId} not found.`);
					// The survivor is sent with its new fields; the merge itself is its own job (Intercom
					// may know the merged GUID as a separate person).
					await markContactForSync(ctx, tx, row.guid);
					await markContactForSync(ctx, tx, row.guid, from.guid);
					return row;
				}),
			);
		},

		/** The surviving GUID for a GUID (itself when not merged), or null when unknown. */
		async resolveContactGuid(guid: string): Promise<string | null> {
			if (!isGuid(guid)) return null;
			return (await guard(() => findContact(db, guid.toLowerCase())))?.guid ?? null;
		},

		/**
		 * The ids among `siteIds` whose site the contact belongs to (an activity or a disclosure
		 * there), in one statement: for contact sync, which asks for every site per contact.
		 * `guid` is the contact's own GUID (as `getContact` answers it), not a merged one.
		 */
		async contactSiteIds(guid: string, siteIds: readonly number[]): Promise<number[]> {
			if (!isGuid(guid) || siteIds.length === 0) return [];
			const g = guid.toLowerCase();
			const ids = sql.join(
				siteIds.map((id) => sql`(${Math.trunc(id)}::int)`),
				sql`, `,
			);
			const rows = rowsOf<{ id: number }>(
				await guard(() =>
					db.execute(sql`
						select s.id from (values ${ids}) as s(id)
						where exists (select 1 from activities a where a.contact_guid = ${g}::uuid and a.site_id = s.id)
							or exists (select 1 from disclosures d where d.guid_hash = ${guidHash(g)} and d.site_id = s.id)`),
				),
			);
			return rows.map((r) => Number(r.id));
		},

		/**
		 * True when the contact (GUID or merged GUID) belongs to one of the sites (see
		 * {@link SiteScope}); always true for the null scope, false for an unknown contact.
		 */
		async isContactOnSites(guid: string, siteIds: SiteScope): Promise<boolean> {
			if (!isGuid(guid)) return false;
			const contact = await guard(() => findContact(db, guid.toLowerCase()));
			if (!contact) return false;
			if (!siteIds) return true;
			const [row] = await guard(() =>
				db
					.select({ yes: sql<boolean>`true` })
					.from(contacts)
					.where(and(eq(contacts.guid, contact.guid), onSites(db, contacts.guid, siteIds))),
			);
			return row !== undefined;
		},

		/**
		 * A page of contacts, newest first, optionally filtered by a search over email, names and
		 * company (case-insensitive substring), and to the contacts of some sites (`siteIds`, see
		 * {@link SiteScope}; the total counts only those). Further filters, all optional: `named`
		 * leaves out anonymous visitors (no name and no email); `siteId` keeps the contacts of that
		 * one site; `consent` those whose latest action on that consent (code name) is agree;
		 * `hasActivities` those with at least one activity (on `siteId`, else on the sites of
		 * `siteIds`, else anywhere). `limit` is brought into 1 to {@link MAX_CONTACTS_PAGE}.
		 */
		async listContacts(
			options: {
				search?: string;
				limit?: number;
				offset?: number;
				siteIds?: SiteScope;
				named?: boolean;
				siteId?: number;
				consent?: string;
				hasActivities?: boolean;
			} = {},
		) {
			const limit = Math.min(Math.max(options.limit ?? 50, 1), MAX_CONTACTS_PAGE);
			const offset = Math.max(options.offset ?? 0, 0);
			const term = options.search?.trim();
			const matches = term
				? or(
						...[contacts.email, contacts.firstName, contacts.lastName, contacts.companyName].map((c) =>
							ilike(c, `%${term.replace(/[\\%_]/g, (m) => `\\${m}`)}%`),
						),
						...(isGuid(term) ? [eq(contacts.guid, term.toLowerCase())] : []),
					)
				: undefined;
			const activitySites = options.siteId !== undefined ? [options.siteId] : options.siteIds;
			const where = and(
				matches,
				options.siteIds ? onSites(db, contacts.guid, options.siteIds) : undefined,
				options.siteId !== undefined ? onSites(db, contacts.guid, [options.siteId]) : undefined,
				options.named
					? or(
							sql`nullif(btrim(${contacts.email}), '') is not null`,
							sql`nullif(btrim(${contacts.firstName}), '') is not null`,
							sql`nullif(btrim(${contacts.lastName}), '') is not null`,
						)
					: undefined,
				options.consent
					? sql`(select ${consentAgreements.action} from ${consentAgreements}
						where ${consentAgreements.contactGuid} = ${contacts.guid}
							and ${consentAgreements.consentId} = (select id from consents where code_name = ${options.consent})
						order by ${consentAgreements.id} desc limit 1) = 'agree'`
					: undefined,
				options.hasActivities
					? exists(
							db
								.select({ one: sql`1` })
								.from(activities)
								.where(
									and(
										eq(activities.contactGuid, contacts.guid),
										activitySites ? inArray(activities.siteId, [...activitySites, -1]) : undefined,
									),
								),
						)
					: undefined,
			);
			return guard(async () => {
				const [items, [total]] = await Promise.all([
					db
						.select()
						.from(contacts)
						.where(where)
						.orderBy(desc(contacts.createdAt), asc(contacts.guid))
						.limit(limit)
						.offset(offset),
					db.select({ n: count() }).from(contacts).where(where),
				]);
				return { items, total: total?.n ?? 0, limit, offset };
			});
		},

		/** Every contact, in GUID order, read in batches (for exports of any size). */
		async *exportContacts(batchSize = 500): AsyncGenerator<Contact> {
			let after: string | undefined;
			for (;;) {
				const batch = await guard(() =>
					db
						.select()
						.from(contacts)
						.where(after ? gt(contacts.guid, after) : undefined)
						.orderBy(asc(contacts.guid))
						.limit(batchSize),
				);
				yield* batch;
				if (batch.length < batchSize) return;
				after = batch[batch.length - 1]?.guid;
			}
		},
	};
}

export type ContactStore = ReturnType<typeof createContactStore>;

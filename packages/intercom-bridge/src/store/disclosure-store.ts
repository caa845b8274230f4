/**
 * The disclosure log (docs/reliability.md P5): which fields of a contact went to which recipient, on what
 * basis, and when first. Names only, never values; append-only (the table refuses UPDATE and
 * DELETE, see migrations/0005_disclosures.sql). Contacts are named by {@link guidHash}.
 */
import { and, desc, inArray, sql } from "drizzle-orm";
import { ValidationError } from "../errors.ts";
import { isGuid, mergedGuids, type SiteScope } from "./contact-store.ts";
import { guidHash } from "./guid-hash.ts";
import { disclosures } from "./schema.ts";
import { guard, type StoreContext } from "./store-context.ts";

/** One disclosure as recorded (the contact appears as `guidHash`). */
export type Disclosure = typeof disclosures.$inferSelect;

/** What a disclosure was: to whom, by which way, which field names, on what basis. */
export interface DisclosureInput {
	siteId: number;
	/** The contact's GUID; only its hash is stored. */
	guid: string;
	recipient: "intercom";
	/** `page`, `settings` (the Messenger), `event` (a data event, decision 0023) or `api` (the REST API: contact sync, decision 0025). */
	channel: "page" | "settings" | "event" | "api";
	/** Field names (not values); stored sorted. */
	fields: readonly string[];
	policy: "always" | "consent" | "never";
	/** With `consent`: the consent's code name. */
	consentCode?: string;
}

/** The row a disclosure is stored as: the same disclosure twice is the same row. */
function disclosureRow(input: DisclosureInput) {
	return {
		siteId: input.siteId,
		guidHash: guidHash(input.guid),
		recipient: input.recipient,
		channel: input.channel,
		fields: [...new Set(input.fields)].sort().join(","),
		policy: input.policy,
		consentCode: input.consentCode ?? "",
	};
}

export function createDisclosureStore(ctx: StoreContext) {
	const { db } = ctx;
	return {
		/**
		 * Records a disclosure unless the same one (site, contact, recipient, channel, fields, basis)
		 * is on record already; true when it is new. The log keeps when each first happened.
		 */
		async recordDisclosure(input: DisclosureInput): Promise<boolean> {
			const rows = await guard(() =>
				db
					.insert(disclosures)
					.values(disclosureRow(input))
					.onConflictDoNothing()
					.returning({ id: disclosures.id }),
			);
			return rows.length > 0;
		},

		/**
		 * A contact's disclosures, newest first: those under its GUID and under every GUID merged into
		 * it. Works for an erased contact too, given its GUID. With `siteIds`, only those of these sites.
		 */
		async listDisclosures(guid: string, limit = 200, siteIds?: SiteScope): Promise<Disclosure[]> {
			if (!isGuid(guid)) throw new ValidationError(`"${String(guid).slice(0, 40)}" is not a contact GUID.`);
			const merged = await guard(() => mergedGuids(db, guid));
			const hashes = [guid, ...merged].map(guidHash);
			return guard(() =>
				db
					.select()
					.from(disclosures)
					.where(
						and(
							inArray(disclosures.guidHash, hashes),
							siteIds
								? siteIds.length > 0
									? inArray(disclosures.siteId, [...siteIds])
									: sql`false`
								: undefined,
						),
					)
					.orderBy(desc(disclosures.at), desc(disclosures.id))
					.limit(limit),
			);
		},
	};
}

/**
 * The recorded checks of each site's custom data attribute mapping against its Intercom workspace
 * (docs/decisions/0029): what `ensureDataAttributes` found or created, kept so that Intercom is
 * asked again only when the mapping changes or an operator presses "Check again".
 */
import { asc, eq, sql } from "drizzle-orm";
import { ValidationError } from "../errors.ts";
import { siteDataAttributes } from "./schema.ts";
import { guard, type StoreContext } from "./store-context.ts";

/** What a check found for one mapped attribute. */
export type DataAttributeCheckStatus = "ok" | "created" | "mismatch" | "failed";

const STATUSES: readonly string[] = ["ok", "created", "mismatch", "failed"];

/** One recorded check. */
export interface DataAttributeCheck {
	attribute: string;
	/** The type the mapping asks for. */
	wantedType: string;
	status: DataAttributeCheckStatus;
	/** The type Intercom has (with `ok`, `created` and `mismatch`). */
	intercomType: string | null;
	/** Why it is not usable, in words (with `mismatch` and `failed`). */
	message: string | null;
	/** Hash of the whole mapping this check was made for. */
	mappingHash: string;
	checkedAt: Date;
}

export function createDataAttributeStore(ctx: StoreContext) {
	const { db } = ctx;
	return {
		/** A site's recorded checks, by attribute name; empty when never checked (or "Check again"). */
		async listDataAttributeChecks(siteId: number): Promise<DataAttributeCheck[]> {
			const rows = await guard(() =>
				db
					.select()
					.from(siteDataAttributes)
					.where(eq(siteDataAttributes.siteId, siteId))
					.orderBy(asc(siteDataAttributes.attribute)),
			);
			return rows.map(({ siteId: _, ...row }) => ({
				...row,
				status: row.status as DataAttributeCheckStatus,
			}));
		},

		/**
		 * Replaces a site's recorded checks with those of one check run, in one transaction.
		 * @throws ValidationError for an unknown status or a duplicate attribute.
		 */
		async saveDataAttributeChecks(
			siteId: number,
			mappingHash: string,
			checks: ReadonlyArray<Omit<DataAttributeCheck, "mappingHash" | "checkedAt">>,
		): Promise<void> {
			const names = new Set<string>();
			for (const check of checks) {
				if (!STATUSES.includes(check.status))
					throw new ValidationError(`Unknown data attribute check status "${check.status}".`, "status");
				if (names.has(check.attribute))
					throw new ValidationError(`Data attribute "${check.attribute}" is mapped twice.`, "attribute");
				names.add(check.attribute);
			}
			await guard(() =>
				db.transaction(async (tx) => {
					await tx.delete(siteDataAttributes).where(eq(siteDataAttributes.siteId, siteId));
					if (checks.length === 0) return;
					await tx
						.insert(siteDataAttributes)
						.values(
							checks.map((c) => ({
								siteId,
								attribute: c.attribute,
								wantedType: c.wantedType,
								status: c.status,
								intercomType: c.intercomType,
								message: c.message === null ? null : c.message.slice(0, 2000),
								mappingHash,
							})),
						)
						// Two syncs checking at once (a backfill's workers): the later write wins rather
						// than failing on the row the other just inserted.
						.onConflictDoUpdate({
							target: [siteDataAttributes.siteId, siteDataAttributes.attribute],
							set: {
								wantedType: sql`excluded.wanted_type`,
								status: sql`excluded.status`,
								intercomType: sql`excluded.intercom_type`,
								message: sql`excluded.message`,
								mappingHash: sql`excluded.mapping_hash`,
								checkedAt: sql`now()`,
							},
						});
				}),
			);
		},

		/** Forgets a site's checks ("Check again"): the next `ensureDataAttributes` asks Intercom. @returns how many. */
		async clearDataAttributeChecks(siteId: number): Promise<number> {
			const rows = await guard(() =>
				db
					.delete(siteDataAttributes)
					.where(eq(siteDataAttributes.siteId, siteId))
					.returning({ attribute: siteDataAttributes.attribute }),
			);
			return rows.length;
		},
	};
}

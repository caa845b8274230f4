/**
 * Erasure on request (GDPR Art. 17; docs/reliability.md P3). One transaction:
 * - deletes the contact with everything kept about it: fields, custom fields, activities (and so
 *   their comments: conversation links, transcripts), consent history, the GUIDs merged into it;
 * - deletes the conversation-links jobs of those activities (their data names the GUIDs);
 * - keeps a tombstone per GUID, only its SHA-256, so a late webhook for it is acknowledged and
 *   ignored instead of touching a contact again;
 * - queues a job that deletes the person in every Intercom workspace a site is connected to
 *   (`DELETE /contacts/{id}`, found by `external_id`), retried for about two days.
 * Webhook deliveries keep only hashes of bodies, so there is nothing of the contact to purge there.
 */
import { eq, sql } from "drizzle-orm";
import { NotFoundError, ValidationError } from "../errors.ts";
import { CONVERSATION_LINKS_QUEUE, getJobQueue, PG_BOSS_SCHEMA } from "../jobs/job-queue.ts";
import type { Logger } from "../logger.ts";
import { isGuid, mergedGuids } from "../store/contact-store.ts";
import type { Store } from "../store/create-store.ts";
import { rowsOf } from "../store/database.ts";
import { guidHash } from "../store/guid-hash.ts";
import { erasedContacts } from "../store/schema.ts";
import { guard } from "../store/store-context.ts";
import { storeInternals } from "../store/store-internals.ts";

/** True when `guid` belonged to an erased contact. */
export async function isErased(store: Store, guid: string): Promise<boolean> {
	if (!isGuid(guid)) return false;
	const rows = await storeInternals(store)
		.db.select({ h: erasedContacts.guidHash })
		.from(erasedContacts)
		.where(eq(erasedContacts.guidHash, guidHash(guid)));
	return rows.length > 0;
}

export interface EraseResult {
	/** The GUIDs erased: the contact's and those merged into it. */
	guids: string[];
	/** Activities deleted with it. */
	activities: number;
	/** The job that erases the person in Intercom. */
	jobId: string;
}

/**
 * Erases a contact, found by its GUID or a GUID merged into it.
 * @throws ValidationError for a malformed GUID; NotFoundError for an unknown one (also when it was
 * erased before: then there is nothing left to erase).
 */
export async function eraseContact(
	store: Store,
	guid: string,
	options: { actor: string; logger?: Logger },
): Promise<EraseResult> {
	if (!isGuid(guid)) throw new ValidationError(`"${guid}" is not a valid contact GUID.`, "guid");
	const asked = guid.toLowerCase();
	const queue = getJobQueue(store, options.logger);
	await queue.ensure(); // outside the transaction: on PGlite it would wait for it
	// guard: a lost database becomes StoreUnavailableError (503 / "retry later"), nothing half-done.
	const result = await guard(() =>
		storeInternals(store).db.transaction(async (tx) => {
			const [found] = rowsOf<{ guid: string }>(
				await tx.execute(sql`
				select guid::text as guid from contacts where guid = ${asked}::uuid
				union all
				select into_guid::text from contact_merges where old_guid = ${asked}::uuid
				limit 1`),
			);
			if (!found) throw new NotFoundError(`Contact ${asked} not found.`);
			// Locked first, so a webhook or merge under way finishes before, or waits and finds nothing.
			await tx.execute(sql`select 1 from contacts where guid = ${found.guid}::uuid for update`);
			const merged = await mergedGuids(tx, found.guid);
			const guids = [found.guid, ...merged];
			const activityIds = rowsOf<{ id: string }>(
				await tx.execute(sql`select id::text as id from activities where contact_guid = ${found.guid}::uuid`),
			).map((r) => r.id);
			if (activityIds.length > 0) {
				await tx.execute(sql`
				delete from ${sql.raw(`${PG_BOSS_SCHEMA}.job`)}
				where name = ${CONVERSATION_LINKS_QUEUE}
					and data->>'activityId' in (${sql.join(
						activityIds.map((id) => sql`${id}`),
						sql`, `,
					)})`);
			}
			// Activities, consent history and merge records go with the contact (on delete cascade).
			await tx.execute(sql`delete from contacts where guid = ${found.guid}::uuid`);
			await tx
				.insert(erasedContacts)
				.values(guids.map((g) => ({ guidHash: guidHash(g) })))
				.onConflictDoNothing();
			const jobId = await queue.enqueueContactErasure(tx, { externalIds: guids });
			return { guids, activities: activityIds.length, jobId };
		}),
	);
	// Who asked and how much went; never the GUID itself next to a name (the log outlives the data).
	options.logger?.info(
		{ actor: options.actor, guids: result.guids.length, activities: result.activities, jobId: result.jobId },
		"contact erased",
	);
	return result;
}

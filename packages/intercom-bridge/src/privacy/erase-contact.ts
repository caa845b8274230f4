/**
 * Erasure on request (GDPR Art. 17; docs/reliability.md P3). One transaction:
 * - deletes the contact with everything kept about it: fields, custom fields, activities (and so
 *   their comments: conversation links, transcripts), consent history, the GUIDs merged into it;
 * - deletes the conversation-links jobs whose data names one of the GUIDs (through pg-boss);
 * - keeps a tombstone per GUID, only its SHA-256, so a late webhook for it is acknowledged and
 *   ignored instead of touching a contact again;
 * - queues a job that deletes the person in every Intercom workspace a site is connected to
 *   (`DELETE /contacts/{id}`, found by `external_id`), retried for about two days.
 * Webhook deliveries keep only hashes of bodies, so there is nothing of the contact to purge there.
 */
import { ValidationError } from "../errors.ts";
import { getJobQueue } from "../jobs/job-queue.ts";
import type { Logger } from "../logger.ts";
import { isGuid } from "../store/contact-store.ts";
import type { Store } from "../store/create-store.ts";

/** True when `guid` belonged to an erased contact. */
export function isErased(store: Pick<Store, "isContactErased">, guid: string): Promise<boolean> {
	return store.isContactErased(guid);
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
	const queue = getJobQueue(store, options.logger);
	await queue.ensure(); // outside the transaction: on PGlite it would wait for it
	// One transaction (StoreUnavailableError when the database is lost: nothing half-done). The jobs
	// whose data names the GUIDs go with the contact, and the erasure job commits with it.
	const erased = await store.eraseContact(guid, async (tx, { guids }) => {
		await queue.deleteConversationLinksJobs(tx, guids);
		return queue.enqueueContactErasure(tx, { externalIds: guids });
	});
	const result: EraseResult = { guids: erased.guids, activities: erased.activities, jobId: erased.result };
	// Who asked and how much went; never the GUID itself next to a name (the log outlives the data).
	options.logger?.info(
		{ actor: options.actor, guids: result.guids.length, activities: result.activities, jobId: result.jobId },
		"contact erased",
	);
	return result;
}

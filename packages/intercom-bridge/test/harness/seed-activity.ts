/**
 * Seeds an activity the way production writes one: the webhook's `store.logActivity` (the
 * activity and its conversation-links job in one statement), then the comment a finished job
 * would have set. Tests seed through it so the store keeps one way of writing activities.
 */
import { getJobQueue } from "../../src/jobs/job-queue.ts";
import type { Store } from "../../src/store/create-store.ts";

export interface SeedActivityInput {
	contactGuid: string;
	siteId: number;
	typeCodeName: string;
	value?: string | null;
	url?: string | null;
	/** Set after the log, as the conversation-links job does. */
	comment?: string;
	/** Attempts of the queued conversation-links job after the first. Default 0. */
	retryLimit?: number;
}

/** Logs an activity and returns its id. @throws Error when the store logged nothing. */
export async function seedActivity(store: Store, input: SeedActivityInput): Promise<number> {
	// The job goes in with the activity: pg-boss's queue must exist first (as in the webhook).
	await getJobQueue(store).ensure();
	const logged = await store.logActivity({
		typeCodeName: input.typeCodeName,
		guid: input.contactGuid,
		siteId: input.siteId,
		value: input.value ?? null,
		url: input.url ?? null,
		retryLimit: input.retryLimit ?? 0,
		claim: null,
	});
	if (logged.activityId === null) {
		throw new Error(
			`seedActivity logged nothing: type ${input.typeCodeName} ${logged.typeOk ? "ok" : "refused"}, contact ${logged.guid ?? "unknown"}`,
		);
	}
	if (input.comment !== undefined) await store.setActivityComment(logged.activityId, input.comment);
	return logged.activityId;
}

/**
 * The Intercom event job (docs/decisions/0023): sends one of the site's own activities to the
 * site's Intercom workspace as a data event (`POST /events`), named after the activity type, for
 * the contact's GUID (`user_id`), when it happened, with a few flat metadata keys.
 *
 * Everything that decides whether it may go is read when the job runs, not when it was queued
 * (docs/reliability.md P1): the activity still exists (an erased contact's are gone), its type is
 * still sent, the site is connected, and the site's data policy allows this contact's data
 * (`sendContactData`: always; or consent, and the contact agrees now). Then the disclosure is
 * written first (docs/reliability.md P5), as the Messenger does: when the database cannot take it,
 * nothing is sent.
 *
 * Outcomes: a skip is done (nothing to retry). 429, 408, 5xx, no answer, a refused token and a
 * 404 (the contact is not in Intercom yet: the Messenger or the contact sync creates it) throw, so
 * pg-boss retries with backoff; other 4xx and invalid metadata give up at once.
 */
import { IntercomApiError, IntercomAuthError } from "../errors.ts";
import { clientForSite } from "../intercom/client-for-site.ts";
import type { EventMetadataValue } from "../intercom/events.ts";
import { cameFromIntercom } from "../store/activity-origin.ts";
import type { ConversationLinksDeps } from "./conversation-links-job.ts";
import { PermanentJobError } from "./conversation-links-job.ts";
import type { IntercomEventJob } from "./job-queue.ts";

/** What one event job did. */
export type IntercomEventOutcome =
	| { kind: "sent"; eventName: string; metadataKeys: string[] }
	| {
			kind: "skipped";
			reason: "activity-gone" | "from-intercom" | "type-not-sent" | "not-connected" | "policy";
	  };

/** Longest metadata text value sent; Intercom documents no limit, long values help nobody in a segment. */
const MAX_METADATA_TEXT = 255;

/**
 * Intercom's event name for an activity type's code name: lower case, words joined by hyphens
 * (`FormSubmitted` and `form_submitted` → `form-submitted`), as Intercom's own names read.
 */
export function intercomEventName(typeCodeName: string): string {
	return typeCodeName
		.replace(/([a-z0-9])([A-Z])/g, "$1-$2")
		.replace(/[^A-Za-z0-9]+/g, "-")
		.replace(/^-+|-+$/g, "")
		.toLowerCase();
}

const clip = (text: string) =>
	text.length > MAX_METADATA_TEXT ? `${text.slice(0, MAX_METADATA_TEXT - 1)}…` : text;

/** The event's metadata: title, value and URL when there are, and the activity's id (≤ 10 flat keys). */
export function intercomEventMetadata(activity: {
	id: number;
	title: string;
	value: string | null;
	url: string | null;
}): Record<string, EventMetadataValue> {
	const metadata: Record<string, EventMetadataValue> = { title: clip(activity.title) };
	if (activity.value) metadata.value = clip(activity.value);
	// A URL stays whole (Intercom shows an http(s) value as a link); an unusable one is left out.
	if (activity.url && /^https?:\/\//i.test(activity.url) && activity.url.length <= 2048)
		metadata.url = activity.url;
	metadata.activity_id = activity.id;
	return metadata;
}

/** Sends the job's activity as a data event, or says why it was skipped. */
export async function sendIntercomEvent(
	deps: Omit<ConversationLinksDeps, "storeTranscripts">,
	job: IntercomEventJob,
): Promise<IntercomEventOutcome> {
	const found = await deps.store.getActivityForIntercomEvent(job.activityId);
	if (!found) return { kind: "skipped", reason: "activity-gone" };
	if (!found.sendToIntercom) return { kind: "skipped", reason: "type-not-sent" };
	const { activity } = found;
	// Second guard behind the queueing (decision 0027): what came from Intercom never goes back.
	if (cameFromIntercom(activity.origin)) return { kind: "skipped", reason: "from-intercom" };
	const settings = await deps.store.getSettings(activity.siteId);
	if (!settings.accessToken) return { kind: "skipped", reason: "not-connected" };
	const guid = activity.contactGuid;
	const consentCode = settings.sendContactData === "consent" ? settings.sendContactDataConsent : null;
	const allowed =
		settings.sendContactData === "always" ||
		(consentCode !== null && (await deps.store.isAgreed(guid, consentCode)));
	if (!allowed) return { kind: "skipped", reason: "policy" };

	const eventName = intercomEventName(found.typeCodeName);
	const metadata = intercomEventMetadata(activity);
	const metadataKeys = Object.keys(metadata);
	// Names, not values, before anything leaves (docs/reliability.md P5).
	await deps.store.recordDisclosure({
		siteId: activity.siteId,
		guid,
		recipient: "intercom",
		channel: "event",
		fields: ["user_id", "event_name", "created_at", ...metadataKeys.map((k) => `metadata.${k}`)],
		policy: settings.sendContactData,
		...(consentCode !== null && { consentCode }),
	});
	const client = clientForSite(deps, settings);
	if (!client.events)
		throw new PermanentJobError("The Intercom client given to the job runner cannot send events.");
	try {
		await client.events.create({ eventName, createdAt: activity.createdAt, userId: guid, metadata });
	} catch (err) {
		if (err instanceof IntercomAuthError) throw err; // retried: the site may be reconnected
		if (err instanceof IntercomApiError) {
			const status = err.httpStatus;
			const transient = status === 0 || status === 404 || status === 408 || status === 429 || status >= 500;
			if (!transient) throw new PermanentJobError(err.message, { cause: err });
			throw err;
		}
		if (err instanceof Error && "code" in err && err.code === "VALIDATION_FAILED")
			throw new PermanentJobError(err.message, { cause: err });
		throw err;
	}
	return { kind: "sent", eventName, metadataKeys };
}

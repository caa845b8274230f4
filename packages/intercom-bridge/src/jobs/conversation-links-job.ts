/**
 * The conversation-links job: finds the person in Intercom by the GUID (`external_id`), reads
 * every page of their conversations, and writes one inbox link per line into the activity's
 * comment (optionally followed by transcripts). It replaces the reference's two calls inside the
 * request, which read only the first page and hard-coded the US app host.
 *
 * Outcome rules (docs/reliability.md O5, O12): 429, 408, 5xx, timeouts and network errors throw, so
 * pg-boss retries with backoff; other 4xx give up at once (retrying cannot help); a refused token
 * (401) is reported as `unauthorized` so the runner can put the job off without spending attempts.
 * The activity is never deleted: on giving up it simply keeps no links.
 */
import { IntercomApiError, IntercomAuthError, NotFoundError } from "../errors.ts";
import { clientForSite, type SiteClientInput } from "../intercom/client-for-site.ts";
import type { ContactsApi } from "../intercom/contacts.ts";
import type { ConversationsApi } from "../intercom/conversations.ts";
import type { DataAttributesApi } from "../intercom/data-attributes.ts";
import { conversationUrl, type EndpointsResolver } from "../intercom/endpoints.ts";
import type { EventsApi } from "../intercom/events.ts";
import type { Logger } from "../logger.ts";
import type { Store } from "../store/create-store.ts";
import type { MergeContacts } from "../sync/sync-contact.ts";
import { conversationTranscript } from "./conversation-transcript.ts";
import type { ConversationLinksJob } from "./job-queue.ts";

/** What the jobs use of the Intercom client (links, erasure's delete, withdrawal's scrub, contact sync). */
export interface LinksClient {
	contacts: Pick<ContactsApi, "findByExternalId" | "search" | "delete" | "update" | "upsertByExternalId"> & {
		/** `POST /contacts/merge` (a lead into a user; decision 0025). */
		merge: MergeContacts;
	};
	/** For contact sync's data attribute mapping (`ensureDataAttributes`, decision 0030). */
	dataAttributes: Pick<DataAttributesApi, "list" | "create">;
	conversations: Pick<ConversationsApi, "search" | "get">;
	/** For the Intercom event job; test fakes of the other jobs may leave it out. */
	events?: Pick<EventsApi, "create">;
}

/** Makes a client for a site's token and region (tests inject a fake of {@link LinksClient}'s shape). */
export type LinksClientFactory = (input: SiteClientInput) => LinksClient;

export interface ConversationLinksDeps {
	store: Store;
	logger: Logger;
	endpoints: EndpointsResolver;
	createClient: LinksClientFactory;
	/** The counted fetch handed to `createClient`. */
	fetch: typeof fetch;
	storeTranscripts: boolean;
}

export type LinksOutcome =
	| { kind: "linked"; conversations: number }
	| { kind: "skipped"; reason: string }
	| { kind: "unauthorized" };

/** Pages read per contact at most (150 conversations a page), so a bad cursor cannot loop for ever. */
const MAX_PAGES = 1000;

/** True for failures worth another attempt later. */
export function isRetryable(err: unknown): boolean {
	if (err instanceof IntercomAuthError) return false;
	if (err instanceof IntercomApiError) {
		const status = err.httpStatus;
		return status === 0 || status === 408 || status === 429 || status >= 500;
	}
	// Our own validation and config errors will not heal; network, timeout and database errors may.
	return !(
		err instanceof Error &&
		"code" in err &&
		(err.code === "VALIDATION_FAILED" || err.code === "CONFIG_INVALID")
	);
}

/** The Intercom contact ids of a person known by these `external_id`s (users and leads). */
export async function intercomContactIds(client: LinksClient, externalIds: string[]): Promise<string[]> {
	const ids = new Set<string>();
	for (const externalId of externalIds) {
		// find_by_external_id sees users at once; search also finds leads but lags behind (docs/intercom.md §9.2).
		let contact = await client.contacts.findByExternalId(externalId);
		if (!contact) {
			const found = await client.contacts.search(
				{ field: "external_id", operator: "=", value: externalId },
				{ perPage: 1 },
			);
			contact = found.data[0] ?? null;
		}
		if (contact?.id) ids.add(contact.id);
	}
	return [...ids];
}

async function conversationIds(client: LinksClient, contactId: string): Promise<string[]> {
	const ids: string[] = [];
	let startingAfter: string | undefined;
	for (let page = 0; page < MAX_PAGES; page++) {
		const result = await client.conversations.search(
			{ field: "contact_ids", operator: "=", value: contactId },
			{ perPage: 150, ...(startingAfter ? { startingAfter } : {}) },
		);
		for (const conversation of result.conversations) if (conversation.id) ids.push(conversation.id);
		if (!result.next) break;
		startingAfter = result.next;
	}
	return ids;
}

/**
 * Runs one job. Resolves with what happened; throws when a later attempt may succeed.
 */
export async function fillConversationLinks(
	deps: ConversationLinksDeps,
	job: ConversationLinksJob,
): Promise<LinksOutcome> {
	const activity = await deps.store.getActivityContact(job.activityId);
	if (!activity) return { kind: "skipped", reason: "activity deleted" };
	const settings = await deps.store.getSettings(job.siteId);
	if (!settings.accessToken || !settings.appId)
		return { kind: "skipped", reason: "accessToken or appId not set" };
	const endpoints = deps.endpoints(settings.region);
	const client = clientForSite(deps, settings);
	const appId = settings.appId;
	try {
		const externalIds = [...new Set([...job.externalIds, activity.contactGuid])];
		const ids: string[] = [];
		const contactIds = await intercomContactIds(client, externalIds);
		for (const contactId of contactIds) {
			for (const id of await conversationIds(client, contactId)) if (!ids.includes(id)) ids.push(id);
		}
		if (ids.length === 0) {
			await deps.store.setActivityComment(
				activity.id,
				noConversationsNote(contactIds.length > 0, new Date()),
			);
			return { kind: "skipped", reason: "no conversations in Intercom" };
		}
		const links = ids.map((id) => conversationUrl(endpoints, appId, id));
		let comment = links.join("\n");
		if (deps.storeTranscripts) {
			const transcripts: string[] = [];
			for (const [i, id] of ids.entries()) {
				transcripts.push(
					conversationTranscript(await client.conversations.get(id, { plaintext: true }), links[i] ?? id),
				);
			}
			comment += `\n\n${transcripts.join("\n\n")}`;
		}
		await deps.store.setActivityComment(activity.id, comment);
		return { kind: "linked", conversations: ids.length };
	} catch (err) {
		if (err instanceof IntercomAuthError || (err instanceof IntercomApiError && err.httpStatus === 401)) {
			return { kind: "unauthorized" };
		}
		if (err instanceof NotFoundError) return { kind: "skipped", reason: "activity deleted" };
		if (isRetryable(err)) throw err;
		// Another attempt would get the same answer: the job is dead at once, with the reason, where
		// an operator sees it and can run it again once the cause is fixed (docs/reliability.md O5).
		const status = err instanceof IntercomApiError ? err.httpStatus : undefined;
		throw new PermanentJobError(
			`Permanent error${status ? ` (HTTP ${status})` : ""}: ${(err as Error).message ?? String(err)}`,
			{ cause: err },
		);
	}
}

/**
 * The comment of an activity whose person had no conversation when the job looked, so the console
 * says the job ran and found nothing instead of showing nothing at all (an empty comment reads as
 * "not done yet"). `known`: whether Intercom knows the person at all.
 */
export function noConversationsNote(known: boolean, at: Date): string {
	const when = `${at.toISOString().slice(0, 16).replace("T", " ")} UTC`;
	return known
		? `No conversations yet: Intercom had none for this contact at ${when}.`
		: `No conversations yet: Intercom did not know this contact at ${when} (no chat started yet).`;
}

/** A failure that no retry can mend (Intercom answered 400, 403, 404, 409, 422): no attempt is left. */
export class PermanentJobError extends Error {
	constructor(message: string, options?: { cause?: unknown }) {
		super(message, options);
		this.name = "PermanentJobError";
	}
}

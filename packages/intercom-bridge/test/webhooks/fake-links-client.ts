/**
 * A fake of the Intercom client's contacts and conversations searches, with real cursor paging
 * (150 a page at most) and scripted failures, for the conversation-links job tests.
 */
import { IntercomApiError, IntercomAuthError } from "../../src/errors.ts";
import type { ContactsApi } from "../../src/intercom/contacts.ts";
import type { Contact, Conversation } from "../../src/intercom/intercom-types.ts";
import type { SearchFilter, SearchQuery } from "../../src/intercom/search-query.ts";
import type { LinksClient } from "../../src/jobs/conversation-links-job.ts";

export interface FakeLinksClient extends LinksClient {
	/** Every call, e.g. `conversations.search 150 after=150`. */
	calls: string[];
	/** Errors thrown by the next calls of `conversations.search`, in order (then it answers). */
	failures: Array<number | "auth">;
}

const fail = (status: number | "auth"): Error =>
	status === "auth"
		? new IntercomAuthError("Intercom refused the token.", { httpStatus: 401, intercomCode: "unauthorized" })
		: new IntercomApiError(`Intercom answered ${status}.`, { httpStatus: status });

/** `people`: external id → { Intercom contact id, number of conversations }. */
export function fakeLinksClient(
	people: Record<string, { id: string; conversations: number }>,
): FakeLinksClient {
	const calls: string[] = [];
	const failures: Array<number | "auth"> = [];
	const byId = new Map(Object.values(people).map((p) => [p.id, p]));
	const filterOf = (query: SearchQuery) => query as SearchFilter;
	return {
		calls,
		failures,
		contacts: {
			async findByExternalId(externalId) {
				calls.push(`contacts.findByExternalId ${externalId}`);
				const person = people[externalId];
				return person ? ({ type: "contact", id: person.id, external_id: externalId } as Contact) : null;
			},
			async search(query) {
				calls.push(`contacts.search ${String(filterOf(query).value)}`);
				return { data: [], totalCount: 0, next: null };
			},
			async delete(id) {
				calls.push(`contacts.delete ${id}`);
				return { type: "contact", id, deleted: true } as Awaited<ReturnType<ContactsApi["delete"]>>;
			},
			async update(id, body) {
				calls.push(`contacts.update ${id}`);
				return { type: "contact", id, ...body } as Contact;
			},
			async upsertByExternalId(externalId, body) {
				calls.push(`contacts.upsertByExternalId ${externalId}`);
				const person = people[externalId];
				return {
					type: "contact",
					id: person?.id ?? `new_${externalId}`,
					...body,
					external_id: externalId,
				} as Contact;
			},
			async merge(fromId, intoId) {
				calls.push(`contacts.merge ${fromId} ${intoId}`);
				return { type: "contact", id: intoId } as Contact;
			},
		},
		dataAttributes: {
			async list() {
				calls.push("dataAttributes.list");
				return [];
			},
			async create(input) {
				calls.push(`dataAttributes.create ${input.name}`);
				return {
					type: "data_attribute",
					name: input.name,
					data_type: input.dataType,
					custom: true,
					model: "contact",
				};
			},
		},
		conversations: {
			async search(query, options = {}) {
				const perPage = Math.min(options.perPage ?? 20, 150);
				const start = options.startingAfter ? Number(options.startingAfter) : 0;
				calls.push(`conversations.search ${perPage} after=${start}`);
				const next = failures.shift();
				if (next !== undefined) throw fail(next);
				const total = byId.get(String(filterOf(query).value))?.conversations ?? 0;
				const end = Math.min(start + perPage, total);
				const conversations = Array.from(
					{ length: end - start },
					(_, i) => ({ id: String(1000 + start + i) }) as Conversation,
				);
				return { conversations, totalCount: total, next: end < total ? String(end) : null };
			},
			async get(id) {
				calls.push(`conversations.get ${id}`);
				return {
					id,
					created_at: 1_700_000_000,
					source: {
						author: { name: "Ada", email: "ada@example.com" },
						body: "<p>Hello &amp; welcome<br>again</p>",
					},
					conversation_parts: {
						conversation_parts: [
							{ created_at: 1_700_000_060, author: { name: "Support" }, body: "<b>Hi</b> Ada" },
						],
					},
				} as Conversation;
			},
		},
	};
}

/**
 * The conversations part of the client: search (one page or all) and get with its parts.
 */
import type { Client } from "openapi-fetch";
import { IntercomApiError, ValidationError } from "../errors.ts";
import type { components, paths } from "../generated/intercom-openapi.ts";
import type { Conversation } from "./intercom-types.ts";
import type { Requester } from "./request.ts";
import { collectPages, nextCursor, type PageOptions } from "./search.ts";
import { type SearchQuery, validateSearchQuery } from "./search-query.ts";

/** Options of `conversations.search` (Intercom's default page: 20). */
export type ConversationSearchOptions = PageOptions;

/**
 * A page (or all pages) of conversations. Note the key: Intercom's list says `conversations`, not
 * `data`. Search results carry no `conversation_parts`; `get` them one by one.
 */
export interface ConversationSearchResult {
	conversations: Conversation[];
	totalCount: number;
	next: string | null;
}

/** The conversations API of an {@link IntercomClient}. */
export interface ConversationsApi {
	search(query: SearchQuery, options?: ConversationSearchOptions): Promise<ConversationSearchResult>;
	get(id: string, options?: { plaintext?: boolean }): Promise<Conversation>;
}

/**
 * Builds the conversations API over an openapi-fetch client and a requester.
 * @example const conversations = createConversationsApi(api, requester);
 */
export function createConversationsApi(api: Client<paths>, requester: Requester): ConversationsApi {
	return {
		async search(query, options = {}) {
			validateSearchQuery(query);
			const name = "POST /conversations/search";
			const page = await collectPages(name, options, async (pagination) => {
				const body: components["schemas"]["search_request"] = {
					// SearchQuery lets a group mix filters and groups; the spec's schema does not (see SearchGroup).
					query: query as components["schemas"]["search_request"]["query"],
					...(pagination && { pagination }),
				};
				const res = await requester.run({
					name,
					repeatable: true,
					send: (init) => api.POST("/conversations/search", { ...init, body }),
				});
				if (!res.data) {
					throw new IntercomApiError(`Intercom ${name} answered ${res.status} without a body.`, {
						httpStatus: res.status,
					});
				}
				const list = res.data;
				return {
					items: list.conversations ?? [],
					totalCount: list.total_count ?? 0,
					next: nextCursor(list.pages),
				};
			});
			return { conversations: page.items, totalCount: page.totalCount, next: page.next };
		},

		async get(id, options = {}) {
			// Conversation ids are decimal strings; a check here keeps a contact id from becoming a confusing 404.
			if (!/^\d+$/.test(id)) throw new ValidationError(`Conversation id must be digits (got "${id}").`, "id");
			const name = "GET /conversations/{conversation_id}";
			const res = await requester.run({
				name,
				repeatable: true,
				send: (init) =>
					api.GET("/conversations/{conversation_id}", {
						...init,
						params: {
							// The spec types the id as an integer; ids may outgrow 2^53, so it is sent as the
							// string it is (openapi-fetch only stringifies path params).
							path: { conversation_id: id as unknown as number },
							...(options.plaintext && { query: { display_as: "plaintext" } }),
						},
					}),
			});
			if (!res.data) {
				throw new IntercomApiError(`Intercom ${name} answered ${res.status} without a body.`, {
					httpStatus: res.status,
				});
			}
			return res.data;
		},
	};
}

/**
 * The contacts part of the client: get, find by external id, search, create, update, upsert,
 * delete, archive. Every call goes through the shared {@link Requester} (deadline, retries of
 * repeatable calls, errors).
 */
import type { Client } from "openapi-fetch";
import { IntercomApiError, ValidationError } from "../errors.ts";
import type { components, paths } from "../generated/intercom-openapi.ts";
import type {
	Contact,
	ContactArchived,
	ContactDeleted,
	CreateContactBody,
	MergedContact,
	UpdateContactBody,
} from "./intercom-types.ts";
import type { Requester } from "./request.ts";
import { collectPages, nextCursor, type PageOptions } from "./search.ts";
import { type SearchQuery, validateSearchQuery } from "./search-query.ts";
import { toIntercomError } from "./to-intercom-error.ts";

/** Options of `contacts.search`. */
export interface ContactSearchOptions extends PageOptions {
	/** Sort order; Intercom's default is `descending` on its own relevance field. */
	sort?: { field: string; order: "ascending" | "descending" };
}

/** A page (or all pages) of contacts. `next` is the cursor for the following page, `null` at the end. */
export interface ContactSearchResult {
	data: Contact[];
	totalCount: number;
	next: string | null;
}

/**
 * The contacts API of an {@link IntercomClient}. Every method throws `IntercomApiError` (or
 * `IntercomAuthError` for a refused token) when Intercom answers an error.
 */
export interface ContactsApi {
	/** `GET /contacts/{id}`; a merged contact (410) resolves to the one it was merged into. */
	get(id: string): Promise<Contact>;
	/** `GET /contacts/find_by_external_id/{id}` (users only, not leads); `null` on 404. */
	findByExternalId(externalId: string): Promise<Contact | null>;
	/** `POST /contacts/search`; one page, or every page with `all: true`. @throws {ValidationError} for a query beyond Intercom's limits. */
	search(query: SearchQuery, options?: ContactSearchOptions): Promise<ContactSearchResult>;
	/** `POST /contacts`, sent once and never retried (a retry could create the contact twice). */
	create(body: CreateContactBody): Promise<Contact>;
	/** `PUT /contacts/{id}`. */
	update(id: string, body: UpdateContactBody): Promise<Contact>;
	/**
	 * Find by external id, else create; a create refused with 409 "…already exists with id=X"
	 * (Intercom's lookup lags behind writes) updates X instead, unarchiving it first if needed.
	 * `externalId` wins over a `body.external_id`.
	 * @example await client.contacts.upsertByExternalId(contact.guid, { role: "user", email, name });
	 */
	upsertByExternalId(externalId: string, body: UpdateContactBody): Promise<Contact>;
	/** `DELETE /contacts/{id}`. */
	delete(id: string): Promise<ContactDeleted>;
	/** `POST /contacts/{id}/archive`. */
	archive(id: string): Promise<ContactArchived>;
	/**
	 * `POST /contacts/merge`: the lead `fromId` into the user `intoId` (Intercom merges no other
	 * way round). Unless `skipDuplicateValidation`, Intercom refuses (400 `invalid_merge`) two
	 * contacts that share no email or phone. Sent once, never retried: a repeat of a merge that went
	 * through answers 404 for the lead, hiding the success. Answers the user; `get(fromId)` then
	 * follows the merged lead to it.
	 */
	merge(
		fromId: string,
		intoId: string,
		options?: { skipDuplicateValidation?: boolean },
	): Promise<MergedContact>;
}

/** Intercom follows merge chains of at most 3 hops (2.16 `ShowContact`); so do we. */
const MAX_MERGE_HOPS = 3;

/** The canonical contact id of a 410 `contact_merged`: `Link: </contacts/{id}>; rel="canonical"`. */
export function canonicalContactId(response: Response): string | undefined {
	const link = response.headers.get("link") ?? "";
	const match = /<[^>]*\/contacts\/([^/>?]+)>\s*;\s*rel="?canonical"?/i.exec(link);
	return match?.[1] === undefined ? undefined : decodeURIComponent(match[1]);
}

/** The id in a 409 "A contact matching those details already exists with id=…". */
export function conflictingContactId(body: unknown): string | undefined {
	const text = JSON.stringify(body ?? "");
	return /already exists with id=([A-Za-z0-9_-]+)/.exec(text)?.[1];
}

function required<T>(data: T | undefined, operation: string, status: number): T {
	if (data === undefined || data === null) {
		throw new IntercomApiError(`Intercom ${operation} answered ${status} without a body.`, {
			httpStatus: status,
		});
	}
	return data;
}

/**
 * Builds the contacts API over an openapi-fetch client and a requester.
 * @example const contacts = createContactsApi(api, requester); await contacts.upsertByExternalId(guid, { email });
 */
export function createContactsApi(api: Client<paths>, requester: Requester): ContactsApi {
	async function getContact(id: string, hops: number): Promise<Contact> {
		const name = "GET /contacts/{contact_id}";
		const res = await requester.run({
			name,
			repeatable: true,
			expect: [410],
			send: (init) => api.GET("/contacts/{contact_id}", { ...init, params: { path: { contact_id: id } } }),
		});
		if (res.status === 410) return followMerge(name, res.response, res.error, hops);
		return required(res.data, name, res.status);
	}

	/** A merged contact answers 410 with a link to the one it was merged into. */
	async function followMerge(
		name: string,
		response: Response,
		error: unknown,
		hops: number,
	): Promise<Contact> {
		const canonical = canonicalContactId(response);
		if (canonical === undefined || hops >= MAX_MERGE_HOPS) throw toIntercomError(name, response, error);
		return getContact(canonical, hops + 1);
	}

	async function findByExternalId(externalId: string): Promise<Contact | null> {
		const name = "GET /contacts/find_by_external_id/{external_id}";
		const res = await requester.run({
			name,
			repeatable: true,
			expect: [404, 410],
			send: (init) =>
				api.GET("/contacts/find_by_external_id/{external_id}", {
					...init,
					params: { path: { external_id: externalId } },
				}),
		});
		if (res.status === 404) return null;
		if (res.status === 410) return followMerge(name, res.response, res.error, 0);
		return required(res.data, name, res.status);
	}

	async function update(id: string, body: UpdateContactBody): Promise<Contact> {
		const name = "PUT /contacts/{contact_id}";
		const res = await requester.run({
			name,
			repeatable: true, // PUT sets fields to given values: a second one changes nothing.
			send: (init) =>
				api.PUT("/contacts/{contact_id}", { ...init, params: { path: { contact_id: id } }, body }),
		});
		return required(res.data, name, res.status);
	}

	async function unarchive(id: string): Promise<void> {
		await requester.run({
			name: "POST /contacts/{contact_id}/unarchive",
			repeatable: true,
			send: (init) =>
				api.POST("/contacts/{contact_id}/unarchive", { ...init, params: { path: { contact_id: id } } }),
		});
	}

	return {
		get: (id) => getContact(id, 0),
		findByExternalId,
		update,

		async search(query, options = {}) {
			validateSearchQuery(query);
			const name = "POST /contacts/search";
			const page = await collectPages(name, options, async (pagination) => {
				const body: components["schemas"]["contact_search_request"] = {
					// SearchQuery lets a group mix filters and groups; the spec's schema types one kind
					// per group (see SearchGroup), hence the cast.
					query: query as components["schemas"]["contact_search_request"]["query"],
					...(pagination && { pagination }),
					...(options.sort && { sort: options.sort }),
				};
				const res = await requester.run({
					name,
					repeatable: true, // a search reads only
					send: (init) => api.POST("/contacts/search", { ...init, body }),
				});
				const list = required(res.data, name, res.status);
				return { items: list.data ?? [], totalCount: list.total_count ?? 0, next: nextCursor(list.pages) };
			});
			return { data: page.items, totalCount: page.totalCount, next: page.next };
		},

		async create(body) {
			const name = "POST /contacts";
			const res = await requester.run({
				name,
				repeatable: false, // a repeated create may create the contact twice
				send: (init) => api.POST("/contacts", { ...init, body }),
			});
			return required(res.data, name, res.status);
		},

		async upsertByExternalId(externalId, body) {
			const fields = { ...body, external_id: externalId };
			const found = await findByExternalId(externalId);
			if (found?.id) return update(found.id, fields);
			const name = "POST /contacts";
			const res = await requester.run({
				name,
				repeatable: false,
				expect: [409],
				send: (init) => api.POST("/contacts", { ...init, body: fields }),
			});
			if (res.status !== 409) return required(res.data, name, res.status);
			// Intercom's lookup lags behind writes: a contact made moments ago is not found, then its
			// create is refused with 409 naming the existing id. That id is the contact to update.
			const existingId = conflictingContactId(res.error);
			if (existingId === undefined) throw toIntercomError(name, res.response, res.error);
			// An archived duplicate cannot be edited; bring it back, since the site says it is in use.
			if (/archived contact/i.test(JSON.stringify(res.error))) await unarchive(existingId);
			return update(existingId, fields);
		},

		async delete(id) {
			const name = "DELETE /contacts/{contact_id}";
			const res = await requester.run({
				name,
				repeatable: true,
				send: (init) =>
					api.DELETE("/contacts/{contact_id}", { ...init, params: { path: { contact_id: id } } }),
			});
			return required(res.data, name, res.status);
		},

		async merge(fromId, intoId, options = {}) {
			if (fromId === "" || intoId === "" || fromId === intoId) {
				throw new ValidationError(
					"contacts.merge needs two different contact ids: a lead (from) and a user (into).",
					"fromId",
				);
			}
			const name = "POST /contacts/merge";
			const res = await requester.run({
				name,
				// Not retried: a merge that went through and is sent again answers 404 for the lead,
				// hiding the success. The caller re-reads the user instead.
				repeatable: false,
				send: (init) =>
					api.POST("/contacts/merge", {
						...init,
						body: {
							from: fromId,
							into: intoId,
							...(options.skipDuplicateValidation && { skip_duplicate_validation: true }),
						},
					}),
			});
			return required(res.data, name, res.status);
		},

		async archive(id) {
			const name = "POST /contacts/{contact_id}/archive";
			const res = await requester.run({
				name,
				repeatable: true, // archiving an archived contact leaves it archived
				send: (init) =>
					api.POST("/contacts/{contact_id}/archive", { ...init, params: { path: { contact_id: id } } }),
			});
			return required(res.data, name, res.status);
		},
	};
}

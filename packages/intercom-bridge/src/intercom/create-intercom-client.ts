/**
 * A typed client for the parts of Intercom's REST API that intercom-bridge uses, on openapi-fetch
 * with the types generated from Intercom's 2.16 OpenAPI description.
 *
 * What it adds to plain calls (docs/intercom.md §1.2, §2, §9.2): the version pinned with
 * `Intercom-Version` on every request (else each workspace's Developer Hub setting decides the
 * shapes); the regional host; a deadline per attempt; waiting out rate-limit windows; retries of
 * repeatable requests only; errors with Intercom's code and request id; and an auth error of its
 * own so callers can show "reconnect".
 */
import createClient from "openapi-fetch";
import { ConfigError, IntercomApiError } from "../errors.ts";
import type { paths } from "../generated/intercom-openapi.ts";
import type { Logger } from "../logger.ts";
import type { Region } from "../settings/setting-keys.ts";
import { type ContactsApi, createContactsApi } from "./contacts.ts";
import { type ConversationsApi, createConversationsApi } from "./conversations.ts";
import { createDataAttributesApi, type DataAttributesApi } from "./data-attributes.ts";
import { type IntercomEndpoints, intercomEndpoints } from "./endpoints.ts";
import { createEventsApi, type EventsApi } from "./events.ts";
import type { AdminWithApp } from "./intercom-types.ts";
import type { RateBudget } from "./rate-budget.ts";
import { createRateLimitTracker } from "./rate-limit.ts";
import { type CallOptions, createRequester, type Requester, withCallOptions } from "./request.ts";

/** The API version the client speaks and its types were generated from. */
export const INTERCOM_API_VERSION = "2.16";

/** Options of {@link createIntercomClient}. */
export interface IntercomClientOptions {
	/** Access token (private app) or OAuth token; sent as `Authorization: Bearer`, never logged. */
	token: string;
	/** Where the workspace is hosted; picks `api[.eu|.au].intercom.io`. Default `"us"`. */
	region?: Region;
	/** Overrides the region's real hosts (tests pass the emulator's). */
	endpoints?: IntercomEndpoints;
	/** `Intercom-Version` sent on every request. Default `"2.16"`, the version the types match. */
	version?: string;
	/** Default `globalThis.fetch`. */
	fetch?: typeof fetch;
	/** Deadline of each attempt, in ms. Default 15000. */
	timeoutMs?: number;
	logger?: Logger;
	/** Retries of a repeatable request after a 429, 408, 5xx, network error or timeout. Default 3. */
	maxRetries?: number;
	/** Injected for tests: waits between attempts. Default: a timer. */
	sleep?: (ms: number) => Promise<void>;
	/** Injected for tests: the clock, in epoch ms. Default `Date.now`. */
	now?: () => number;
	/** Injected for tests: jitter source in [0, 1). Default `Math.random`. */
	random?: () => number;
	/**
	 * The workspace's rate budget, shared with every other client and instance calling the same
	 * workspace (see `createSharedRateBudget`): asked before every attempt, told every answer's
	 * `X-RateLimit-*` headers and every 429. Without it the client only follows its own answers.
	 */
	rateBudget?: RateBudget;
	/** The longest a call waits for the rate budget before failing (ms). Default 120000. */
	budgetWaitCapMs?: number;
}

/** What {@link createIntercomClient} returns. */
export interface IntercomClient {
	/** `GET /me`: the token's admin and workspace (`app.id_code` = Messenger app_id, `app.region`). */
	me(): Promise<AdminWithApp>;
	contacts: ContactsApi;
	conversations: ConversationsApi;
	/** Contact data attributes: list, create custom ones. */
	dataAttributes: DataAttributesApi;
	/** Data events: submit, list a contact's. */
	events: EventsApi;
	/**
	 * The same client whose calls carry `options`: `{ priority: "bulk" }` for background work that
	 * must leave a share of the rate limit to live calls, a `signal` to stop waiting.
	 * @example const bulk = intercom.withCallOptions({ priority: "bulk", signal }); await bulk.contacts.update(id, body);
	 */
	withCallOptions(options: CallOptions): IntercomClient;
}

function checkOptions(options: IntercomClientOptions): void {
	if (typeof options.token !== "string" || options.token.trim() === "") {
		throw new ConfigError(
			"createIntercomClient: token is required. Set the site's accessToken (OAuth \"Get token\" or a private app's token).",
		);
	}
	const { timeoutMs, maxRetries, budgetWaitCapMs } = options;
	if (budgetWaitCapMs !== undefined && !(Number.isFinite(budgetWaitCapMs) && budgetWaitCapMs >= 0)) {
		throw new ConfigError(
			`createIntercomClient: budgetWaitCapMs must be a number of ms ≥ 0 (got ${budgetWaitCapMs}).`,
		);
	}
	if (timeoutMs !== undefined && !(Number.isFinite(timeoutMs) && timeoutMs > 0)) {
		throw new ConfigError(
			`createIntercomClient: timeoutMs must be a positive number of ms (got ${timeoutMs}).`,
		);
	}
	if (maxRetries !== undefined && !(Number.isInteger(maxRetries) && maxRetries >= 0)) {
		throw new ConfigError(`createIntercomClient: maxRetries must be an integer ≥ 0 (got ${maxRetries}).`);
	}
}

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Creates an Intercom REST client for one token.
 *
 * @example
 * const intercom = createIntercomClient({ token: settings.accessToken, region: settings.region });
 * const contact = await intercom.contacts.upsertByExternalId(guid, { role: "user", email, name });
 * const { conversations } = await intercom.conversations.search(
 *   { field: "contact_ids", operator: "=", value: contact.id ?? "" }, { all: true });
 * @throws {ConfigError} for a missing token or bad numbers. Calls throw {@link IntercomApiError}
 *   (status, Intercom code, request id) or `IntercomAuthError` when the token was refused.
 */
export function createIntercomClient(options: IntercomClientOptions): IntercomClient {
	checkOptions(options);
	const endpoints = options.endpoints ?? intercomEndpoints(options.region ?? "us");
	const baseFetch = options.fetch ?? globalThis.fetch;
	const now = options.now ?? Date.now;
	const random = options.random ?? Math.random;

	const api = createClient<paths>({
		baseUrl: endpoints.api,
		headers: {
			Authorization: `Bearer ${options.token}`,
			"Intercom-Version": options.version ?? INTERCOM_API_VERSION,
			Accept: "application/json",
		},
	});
	const requester = createRequester({
		fetch: (request) => baseFetch(request),
		timeoutMs: options.timeoutMs ?? 15_000,
		maxRetries: options.maxRetries ?? 3,
		sleep: options.sleep ?? defaultSleep,
		now,
		random,
		rateLimit: createRateLimitTracker({ now, random }),
		budget: options.rateBudget,
		budgetWaitCapMs: options.budgetWaitCapMs,
		logger: options.logger,
	});

	const clientOver = (requester: Requester): IntercomClient => ({
		async me() {
			const res = await requester.run({
				name: "GET /me",
				repeatable: true,
				send: (init) => api.GET("/me", init),
			});
			if (!res.data) {
				throw new IntercomApiError(`Intercom GET /me answered ${res.status} without an admin.`, {
					httpStatus: res.status,
				});
			}
			return res.data;
		},
		contacts: createContactsApi(api, requester),
		conversations: createConversationsApi(api, requester),
		dataAttributes: createDataAttributesApi(api, requester),
		events: createEventsApi(api, requester),
		withCallOptions: (callOptions) => clientOver(withCallOptions(requester, callOptions)),
	});
	return clientOver(requester);
}

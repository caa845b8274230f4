/**
 * The data events part of the client: submit an event about a contact, list a contact's events.
 *
 * Intercom keeps only the first 10 metadata keys of an event, silently, and takes no nested values
 * but its rich link and money objects (2.16 `createDataEvent`); this client refuses anything it
 * would drop or reject, naming the key, rather than lose data quietly.
 */
import type { Client } from "openapi-fetch";
import { IntercomApiError, ValidationError } from "../errors.ts";
import type { components, paths } from "../generated/intercom-openapi.ts";
import type { DataEvent } from "./intercom-types.ts";
import type { Requester } from "./request.ts";

/** Metadata keys Intercom keeps per event. */
export const MAX_EVENT_METADATA_KEYS = 10;

/** A metadata value: flat only. */
export type EventMetadataValue = string | number | boolean;

/** Who an event is about: our id (`userId`, the contact's external id), Intercom's `id` (also leads), or `email`. */
export type EventContact = { userId: string } | { id: string } | { email: string };

/** What `events.create` takes. */
export type CreateEventInput = EventContact & {
	/** Past-tense verb-noun reads best in Intercom, e.g. `ordered-coffee`. */
	eventName: string;
	/** When it happened: a Date or Unix seconds. Intercom de-duplicates on contact, name and this second. */
	createdAt: Date | number;
	/** At most 10 keys; values strings, finite numbers or booleans. */
	metadata?: Record<string, EventMetadataValue>;
};

/** The data events API of an {@link IntercomClient}. */
export interface EventsApi {
	/**
	 * `POST /events` (202, no body). Retried like a read: Intercom ignores a repeat of the same
	 * contact, name and `created_at`, so a retry cannot count an event twice.
	 * @throws {ValidationError} for a bad name, time or metadata, before anything is sent.
	 */
	create(input: CreateEventInput): Promise<void>;
	/** `GET /events?type=user&…`: the contact's events, newest first (first page; Intercom keeps 90 days). */
	list(
		contact: { userId: string } | { intercomUserId: string } | { email: string },
		options?: { perPage?: number },
	): Promise<DataEvent[]>;
}

/** Checks metadata against Intercom's limits; @throws {ValidationError} saying which key is wrong. */
export function validateEventMetadata(
	metadata: unknown,
): asserts metadata is Record<string, EventMetadataValue> {
	if (typeof metadata !== "object" || metadata === null || Array.isArray(metadata)) {
		throw new ValidationError("Event metadata must be an object of flat key/value pairs.", "metadata");
	}
	const keys = Object.keys(metadata);
	if (keys.length > MAX_EVENT_METADATA_KEYS) {
		throw new ValidationError(
			`Event metadata has ${keys.length} keys (${keys.join(", ")}); Intercom keeps only the first ${MAX_EVENT_METADATA_KEYS}. Drop ${keys.length - MAX_EVENT_METADATA_KEYS}.`,
			"metadata",
		);
	}
	for (const [key, value] of Object.entries(metadata)) {
		if (key.trim() === "") throw new ValidationError("Event metadata has an empty key.", "metadata");
		const flat =
			typeof value === "string" ||
			typeof value === "boolean" ||
			(typeof value === "number" && Number.isFinite(value));
		if (!flat) {
			const what =
				value === null || value === undefined
					? String(value)
					: Array.isArray(value)
						? "an array"
						: typeof value === "object"
							? "an object"
							: typeof value === "number"
								? String(value)
								: `a ${typeof value}`;
			throw new ValidationError(
				`Event metadata "${key}" is ${what}; Intercom takes only strings, finite numbers and booleans (no nesting).`,
				`metadata.${key}`,
			);
		}
	}
}

/** Unix seconds of a Date or a number of seconds; @throws {ValidationError} for anything else. */
function toUnixSeconds(value: Date | number): number {
	const seconds = value instanceof Date ? Math.floor(value.getTime() / 1000) : value;
	if (!Number.isInteger(seconds) || seconds < 0) {
		throw new ValidationError(
			`Event createdAt must be a Date or whole Unix seconds (got ${String(value)}).`,
			"createdAt",
		);
	}
	// Year 5138 in seconds is already milliseconds of 1973: a millisecond value is a mistake.
	if (seconds > 100_000_000_000) {
		throw new ValidationError(
			`Event createdAt ${seconds} looks like milliseconds; give Unix seconds.`,
			"createdAt",
		);
	}
	return seconds;
}

function contactOf(input: EventContact): { user_id: string } | { id: string } | { email: string } {
	const given = (["userId", "id", "email"] as const).filter(
		(k) => k in input && (input as Record<string, unknown>)[k] !== undefined,
	);
	if (given.length !== 1) {
		throw new ValidationError("An event names its contact by exactly one of userId, id or email.", "userId");
	}
	const key = given[0] as "userId" | "id" | "email";
	const value = (input as Record<string, unknown>)[key];
	if (typeof value !== "string" || value === "")
		throw new ValidationError(`Event ${key} must be a non-empty string.`, key);
	return key === "userId" ? { user_id: value } : key === "id" ? { id: value } : { email: value };
}

/**
 * Builds the events API over an openapi-fetch client and a requester.
 * @example await createEventsApi(api, requester).create({ eventName: "ordered-coffee", createdAt: new Date(), userId: guid });
 */
export function createEventsApi(api: Client<paths>, requester: Requester): EventsApi {
	return {
		async create(input) {
			if (typeof input.eventName !== "string" || input.eventName.trim() === "") {
				throw new ValidationError("Event eventName must be a non-empty string.", "eventName");
			}
			if (input.metadata !== undefined) validateEventMetadata(input.metadata);
			const body: components["schemas"]["create_data_event_request"] = {
				event_name: input.eventName,
				created_at: toUnixSeconds(input.createdAt),
				...contactOf(input),
				// The spec types metadata values as strings, but its description documents numbers too.
				...(input.metadata && { metadata: input.metadata as Record<string, string> }),
			};
			await requester.run({
				name: "POST /events",
				repeatable: true,
				// 202 with an empty body: read it as text so a stray non-JSON body is no failure.
				send: (init) => api.POST("/events", { ...init, body, parseAs: "text" }),
			});
		},

		async list(contact, options = {}) {
			const name = "GET /events";
			const filter: { user_id: string } | { intercom_user_id: string } | { email: string } =
				"userId" in contact
					? { user_id: contact.userId }
					: "intercomUserId" in contact
						? { intercom_user_id: contact.intercomUserId }
						: { email: contact.email };
			const perPage = options.perPage;
			if (perPage !== undefined && !(Number.isInteger(perPage) && perPage >= 1 && perPage <= 150)) {
				throw new ValidationError(`perPage must be an integer from 1 to 150 (got ${perPage}).`, "perPage");
			}
			const res = await requester.run({
				name,
				repeatable: true,
				send: (init) =>
					api.GET("/events", {
						...init,
						params: { query: { filter, type: "user" } },
						// The spec's `filter` object is sent flat (`user_id=…`), as Intercom and its SDK do.
						querySerializer: () => {
							const query = new URLSearchParams(filter as Record<string, string>);
							query.set("type", "user");
							if (perPage !== undefined) query.set("per_page", String(perPage));
							return query.toString();
						},
					}),
			});
			// The spec types this answer as the summary; without `summary=true` Intercom sends `event.list`.
			const list = res.data as unknown as components["schemas"]["data_event_list"] | undefined;
			if (!list)
				throw new IntercomApiError(`Intercom ${name} answered ${res.status} without a list.`, {
					httpStatus: res.status,
				});
			return list.events ?? [];
		},
	};
}

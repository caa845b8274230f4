/**
 * Data events (2.16 `POST /events`, `GET /events`), as the spec's description of `createDataEvent`
 * says they behave: `202 Accepted` with an empty body; the contact by `user_id` (our external id),
 * `id` (Intercom's, also for leads) or `email`; 404 for a contact that cannot be found; at most 10
 * metadata keys kept (the first 10 sent, the rest ignored); no nested metadata except Intercom's
 * rich link `{url, value}` and money `{amount, currency}`; a repeat of the same contact, name and
 * `created_at` is ignored and still answered 202.
 *
 * `GET /events?type=user&user_id=…` (or `intercom_user_id`, `email`) lists a contact's events,
 * newest first, as `event.list`; with `summary=true` it answers the `event.summary` the spec's
 * schema describes.
 */
import { Hono } from "hono";
import type { Contact } from "./contact-shape.ts";
import { type EmulatorContext, readJson } from "./emulator-context.ts";
import { badRequest, IntercomHttpError } from "./intercom-error.ts";

/** Metadata keys Intercom keeps per event; further keys are ignored. */
export const MAX_EVENT_METADATA_KEYS = 10;

/** A data event as stored. */
export interface DataEventRecord {
	/** The Intercom id of the contact it belongs to (re-pointed when a lead is merged into a user). */
	contactId: string;
	eventName: string;
	createdAt: number;
	metadata: Record<string, unknown>;
}

const notFoundUser = () => new IntercomHttpError(404, "not_found", "User Not Found");

function findEventContact(
	ctx: EmulatorContext,
	by: { user_id?: unknown; id?: unknown; email?: unknown },
): Contact {
	const records = [...ctx.state.contacts.values()];
	let found: Contact | undefined;
	if (typeof by.id === "string") found = ctx.state.contacts.get(by.id)?.contact;
	else if (typeof by.user_id === "string")
		found = records.find((r) => r.contact.external_id === by.user_id)?.contact;
	else if (typeof by.email === "string") {
		const email = by.email.toLowerCase();
		found = records.find(
			(r) => r.contact.role === "user" && r.contact.email.toLowerCase() === email,
		)?.contact;
	}
	if (!found) throw notFoundUser();
	return found;
}

function isRichValue(value: unknown): boolean {
	if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
	const keys = Object.keys(value).sort().join(",");
	const v = value as Record<string, unknown>;
	if (keys === "url,value") return typeof v.url === "string" && typeof v.value === "string";
	if (keys === "amount,currency") return Number.isInteger(v.amount) && typeof v.currency === "string";
	return false;
}

/** Checks a `create_data_event_request`; returns the event or throws a 400. */
function parseEvent(ctx: EmulatorContext, body: unknown): DataEventRecord {
	if (typeof body !== "object" || body === null || Array.isArray(body))
		throw badRequest("Request body must be a JSON object", "parameter_invalid");
	const b = body as Record<string, unknown>;
	if (typeof b.event_name !== "string" || b.event_name.trim() === "")
		throw badRequest("event_name is required", "parameter_missing");
	if (!Number.isInteger(b.created_at) || (b.created_at as number) < 0)
		throw badRequest("created_at must be a unix timestamp in seconds", "parameter_invalid");
	if (b.user_id === undefined && b.id === undefined && b.email === undefined)
		throw badRequest("One of user_id, id or email is required", "parameter_missing");
	for (const k of ["user_id", "id", "email"]) {
		if (b[k] !== undefined && typeof b[k] !== "string")
			throw badRequest(`${k} must be a string`, "parameter_invalid");
	}
	const metadata: Record<string, unknown> = {};
	if (b.metadata !== undefined && b.metadata !== null) {
		if (typeof b.metadata !== "object" || Array.isArray(b.metadata))
			throw badRequest("metadata must be an object", "parameter_invalid");
		for (const [key, value] of Object.entries(b.metadata)) {
			const flat = typeof value === "string" || typeof value === "boolean" || Number.isFinite(value);
			if (!flat && value !== null && !isRichValue(value)) {
				throw badRequest(
					`metadata '${key}': nested JSON is not supported (only strings, numbers, booleans, {url, value} and {amount, currency})`,
					"parameter_invalid",
				);
			}
			if (Object.keys(metadata).length < MAX_EVENT_METADATA_KEYS) metadata[key] = value;
		}
	}
	const contact = findEventContact(ctx, b);
	return { contactId: contact.id, eventName: b.event_name, createdAt: b.created_at as number, metadata };
}

function renderEvent(ctx: EmulatorContext, event: DataEventRecord) {
	const contact = ctx.state.contacts.get(event.contactId)?.contact;
	return {
		type: "event",
		event_name: event.eventName,
		created_at: event.createdAt,
		...(contact?.external_id && { user_id: contact.external_id }),
		intercom_user_id: event.contactId,
		...(contact?.email && { email: contact.email }),
		metadata: event.metadata,
	};
}

const isoSeconds = (seconds: number) => new Date(seconds * 1000).toISOString();

/** The data event routes, to be mounted on a region's API base. */
export function eventsRoutes(ctx: EmulatorContext): Hono {
	const app = new Hono();
	app.post("/events", async (c) => {
		const event = parseEvent(ctx, await readJson(c.req.raw));
		const duplicate = ctx.state.events.some(
			(e) =>
				e.contactId === event.contactId && e.eventName === event.eventName && e.createdAt === event.createdAt,
		);
		if (!duplicate) ctx.state.events.push(event);
		return c.body(null, 202);
	});
	app.get("/events", (c) => {
		if (c.req.query("type") !== "user") throw badRequest("type must be user", "parameter_invalid");
		const ids = ["user_id", "intercom_user_id", "email"].filter((k) => c.req.query(k) !== undefined);
		if (ids.length !== 1)
			throw badRequest("Give exactly one of user_id, intercom_user_id or email", "parameter_invalid");
		const contact = findEventContact(ctx, {
			user_id: c.req.query("user_id"),
			id: c.req.query("intercom_user_id"),
			email: c.req.query("email"),
		});
		const events = ctx.state.events
			.filter((e) => e.contactId === contact.id)
			.sort((a, b) => b.createdAt - a.createdAt);
		const identity = {
			...(contact.email && { email: contact.email }),
			intercom_user_id: contact.id,
			...(contact.external_id && { user_id: contact.external_id }),
		};
		if (c.req.query("summary") === "true") {
			const byName = new Map<string, DataEventRecord[]>();
			for (const e of events) byName.set(e.eventName, [...(byName.get(e.eventName) ?? []), e]);
			return c.json({
				type: "event.summary",
				...identity,
				events: [...byName].map(([name, list]) => ({
					name,
					first: isoSeconds(Math.min(...list.map((e) => e.createdAt))),
					last: isoSeconds(Math.max(...list.map((e) => e.createdAt))),
					count: list.length,
				})),
			});
		}
		const perPage = Number(c.req.query("per_page") ?? 50);
		if (!Number.isInteger(perPage) || perPage < 1 || perPage > 150)
			throw badRequest("per_page must be an integer from 1 to 150", "parameter_invalid");
		// Pagination past the first page is not emulated: `pages.next` is never given.
		return c.json({
			type: "event.list",
			events: events.slice(0, perPage).map((e) => renderEvent(ctx, e)),
			pages: {},
		});
	});
	return app;
}

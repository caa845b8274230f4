/**
 * The contact operations of the 2.16 API: CRUD, archive/unarchive, find_by_external_id and search.
 */
import { Hono } from "hono";
import {
	createContact,
	findUserByExternalId,
	getRecord,
	mergeContacts,
	updateContact,
} from "./contact-operations.ts";
import { type Contact, parseContactInput } from "./contact-shape.ts";
import { checkCustomAttributes } from "./data-attributes.ts";
import { type EmulatorContext, primaryApp, readJson } from "./emulator-context.ts";
import { badRequest, IntercomHttpError } from "./intercom-error.ts";
import { paginate } from "./search-pagination.ts";
import { compileSearchQuery, readPath, type SearchFieldType, type SearchSpec } from "./search-query.ts";

const STRING_FIELDS = [
	"id",
	"role",
	"name",
	"email",
	"email_domain",
	"phone",
	"formatted_phone",
	"external_id",
	"owner_id",
	"language_override",
	"browser",
	"browser_version",
	"browser_language",
	"os",
	"location.country",
	"location.region",
	"location.city",
	"location.country_code",
	"location.continent_code",
	"utm_campaign",
	"utm_content",
	"utm_medium",
	"utm_source",
	"utm_term",
	"referrer",
];
const DATE_FIELDS = [
	"created_at",
	"updated_at",
	"signed_up_at",
	"last_seen_at",
	"last_replied_at",
	"last_contacted_at",
	"last_email_opened_at",
	"last_email_clicked_at",
];
const BOOLEAN_FIELDS = ["unsubscribed_from_emails", "has_hard_bounced", "marked_email_as_spam"];

/** Searchable contact fields and how each is matched (docs/intercom.md §1.4). */
export const CONTACT_SEARCH_FIELDS: Record<string, SearchFieldType> = {
	...Object.fromEntries(STRING_FIELDS.map((f) => [f, "string"])),
	...Object.fromEntries(DATE_FIELDS.map((f) => [f, "date"])),
	...Object.fromEntries(BOOLEAN_FIELDS.map((f) => [f, "boolean"])),
	tag_id: "id",
	segment_id: "id",
};

function readContactField(contact: unknown, field: string): unknown {
	const c = contact as Contact;
	if (field === "tag_id") return (c.tags.data as { id?: string }[]).map((t) => t.id);
	if (field === "segment_id") return [];
	if (field === "formatted_phone") return c.phone;
	return readPath(c, field);
}

/** The contact routes, to be mounted on a region's API base. */
export function contactsRoutes(ctx: EmulatorContext): Hono {
	const app = new Hono();
	const body = async (request: Request) => {
		const parsed = parseContactInput(await readJson(request));
		if (typeof parsed === "string") throw badRequest(parsed, "parameter_invalid");
		// Only the REST API insists on declared attributes; `seedContact` and the Messenger do not.
		checkCustomAttributes(ctx, parsed.custom_attributes);
		return parsed;
	};

	app.post("/contacts", async (c) => c.json(createContact(ctx, await body(c.req.raw))));
	app.post("/contacts/search", async (c) => c.json(searchContacts(ctx, await readJson(c.req.raw))));
	app.get("/contacts/find_by_external_id/:externalId", (c) =>
		c.json(findUserByExternalId(ctx, c.req.param("externalId"))),
	);
	app.post("/contacts/merge", async (c) => {
		const b = await readJson(c.req.raw);
		const { from, into, skip_duplicate_validation: skip } = (b ?? {}) as Record<string, unknown>;
		if (typeof from !== "string" || typeof into !== "string")
			throw badRequest("from and into are required contact ids", "parameter_missing");
		if (skip !== undefined && typeof skip !== "boolean")
			throw badRequest("skip_duplicate_validation must be a boolean", "parameter_invalid");
		return c.json(mergeContacts(ctx, from, into, skip === true));
	});
	app.get("/contacts/:id", (c) => {
		const id = c.req.param("id");
		const canonical = ctx.state.mergedInto.get(id);
		if (canonical !== undefined && !ctx.state.contacts.has(id)) {
			throw new IntercomHttpError(410, "contact_merged", "Contact has been merged into another contact", {
				Link: `</contacts/${canonical}>; rel="canonical"`,
			});
		}
		return c.json(getRecord(ctx, id).contact);
	});
	app.put("/contacts/:id", async (c) => c.json(updateContact(ctx, c.req.param("id"), await body(c.req.raw))));
	app.delete("/contacts/:id", (c) => {
		const { contact } = getRecord(ctx, c.req.param("id"));
		ctx.state.contacts.delete(contact.id);
		return c.json({ type: "contact", id: contact.id, external_id: contact.external_id, deleted: true });
	});
	app.post("/contacts/:id/archive", (c) => {
		const record = getRecord(ctx, c.req.param("id"));
		record.archived = true;
		return c.json({
			type: "contact",
			id: record.contact.id,
			external_id: record.contact.external_id,
			archived: true,
		});
	});
	app.post("/contacts/:id/unarchive", (c) => {
		const record = getRecord(ctx, c.req.param("id"));
		record.archived = false;
		return c.json({
			type: "contact",
			id: record.contact.id,
			external_id: record.contact.external_id,
			archived: false,
		});
	});
	return app;
}

/** `POST /contacts/search`: evaluates the query over indexed, unarchived contacts. */
export function searchContacts(ctx: EmulatorContext, body: unknown) {
	if (typeof body !== "object" || body === null || !("query" in body))
		throw badRequest("query is required", "parameter_missing");
	const { query, pagination, sort } = body as Record<string, unknown>;
	const spec: SearchSpec = {
		fields: CONTACT_SEARCH_FIELDS,
		read: readContactField,
		timezone: primaryApp(ctx).timezone ?? "UTC",
		inclusiveDates: false,
	};
	const predicate = compileSearchQuery(query, spec);
	const compare = sortComparator(sort);
	const now = ctx.options.now();
	const records = [...ctx.state.contacts.values()]
		.filter((r) => !r.archived && r.searchableAt <= now && predicate(r.contact))
		.sort((a, b) => (compare ? compare(a.contact, b.contact) : 0) || a.seq - b.seq);
	const page = paginate(
		records.map((r) => r.contact),
		pagination,
		50,
	);
	return { type: "list", data: page.items, total_count: page.total_count, pages: page.pages };
}

function sortComparator(sort: unknown): ((a: Contact, b: Contact) => number) | undefined {
	if (sort === undefined || sort === null) return undefined;
	if (typeof sort !== "object" || Array.isArray(sort))
		throw new IntercomHttpError(400, "invalid_sort_order", "sort must be an object");
	const { field, order = "descending" } = sort as Record<string, unknown>;
	if (order !== "ascending" && order !== "descending") {
		throw new IntercomHttpError(400, "invalid_sort_order", "Invalid sort order: use ascending or descending");
	}
	if (
		typeof field !== "string" ||
		(!CONTACT_SEARCH_FIELDS[field] && !field.startsWith("custom_attributes."))
	) {
		throw badRequest(`'${String(field)}' is not a sortable field`);
	}
	const sign = order === "ascending" ? 1 : -1;
	return (a, b) => {
		const x = readContactField(a, field);
		const y = readContactField(b, field);
		// Unknown values sort last whatever the order.
		if (x === null || x === undefined) return y === null || y === undefined ? 0 : 1;
		if (y === null || y === undefined) return -1;
		return (x < y ? -1 : x > y ? 1 : 0) * sign;
	};
}

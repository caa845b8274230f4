/**
 * `POST /conversations/search` and `GET /conversations/{id}`, plus seeding conversations for tests.
 */
import { Hono } from "hono";
import { findContact } from "./contact-operations.ts";
import {
	buildConversation,
	type Conversation,
	conversationListItem,
	type SeedConversationOptions,
	toPlainText,
} from "./conversation-shape.ts";
import { type EmulatorContext, primaryApp, readJson } from "./emulator-context.ts";
import { unixSeconds } from "./emulator-state.ts";
import { badRequest, notFound } from "./intercom-error.ts";
import { paginate } from "./search-pagination.ts";
import { compileSearchQuery, readPath, type SearchFieldType } from "./search-query.ts";

/** Intercom answers only the 500 most recent parts of a conversation. */
const MAX_PARTS = 500;

/** Searchable conversation fields (docs/intercom.md §1.4). */
export const CONVERSATION_SEARCH_FIELDS: Record<string, SearchFieldType> = {
	id: "string",
	title: "string",
	created_at: "date",
	updated_at: "date",
	waiting_since: "date",
	snoozed_until: "date",
	"source.type": "string",
	"source.id": "string",
	"source.delivered_as": "string",
	"source.subject": "words",
	"source.body": "words",
	"source.author.id": "string",
	"source.author.type": "string",
	"source.author.name": "string",
	"source.author.email": "string",
	"source.url": "string",
	contact_ids: "list",
	teammate_ids: "list",
	tag_ids: "list",
	admin_assignee_id: "integer",
	team_assignee_id: "integer",
	open: "boolean",
	read: "boolean",
	state: "string",
	priority: "string",
	ai_agent_participated: "boolean",
	"statistics.time_to_assignment": "integer",
	"statistics.time_to_admin_reply": "integer",
	"statistics.count_reopens": "integer",
	"conversation_rating.rating": "integer",
};

function readConversationField(record: unknown, field: string): unknown {
	const c = record as Conversation;
	if (field === "contact_ids") return c.contacts.contacts.map((x) => x.id);
	if (field === "teammate_ids") return (c.teammates.teammates as { id?: string }[]).map((t) => t.id);
	if (field === "tag_ids") return (c.tags.tags as { id?: string }[]).map((t) => t.id);
	return readPath(c, field);
}

/** The conversation routes, to be mounted on a region's API base. */
export function conversationsRoutes(ctx: EmulatorContext): Hono {
	const app = new Hono();
	app.post("/conversations/search", async (c) => {
		const body = await readJson(c.req.raw);
		if (typeof body !== "object" || body === null || !("query" in body)) {
			throw badRequest("query is required", "parameter_missing");
		}
		const { query, pagination } = body as Record<string, unknown>;
		const predicate = compileSearchQuery(query, {
			fields: CONVERSATION_SEARCH_FIELDS,
			read: readConversationField,
			timezone: primaryApp(ctx).timezone ?? "UTC",
			inclusiveDates: true,
		});
		const matches = [...ctx.state.conversations.values()].filter((conv) => predicate(conv));
		const page = paginate(matches, pagination, 20);
		return c.json({
			type: "conversation.list",
			conversations: page.items.map(conversationListItem),
			total_count: page.total_count,
			pages: page.pages,
		});
	});
	app.get("/conversations/:id", (c) => {
		const conversation = ctx.state.conversations.get(c.req.param("id"));
		if (!conversation) throw notFound();
		const plain = c.req.query("display_as") === "plaintext";
		const render = (html: string) => (plain ? toPlainText(html) : html);
		const parts = conversation.conversation_parts.conversation_parts.slice(-MAX_PARTS);
		return c.json({
			...conversation,
			source: { ...conversation.source, body: render(conversation.source.body) },
			conversation_parts: {
				...conversation.conversation_parts,
				conversation_parts: parts.map((p) => ({ ...p, body: p.body === null ? null : render(p.body) })),
			},
		});
	});
	return app;
}

/**
 * Adds `count` conversations started by a contact (by id or external id), an hour apart.
 * @throws Error when the contact does not exist.
 */
export function seedConversations(
	ctx: EmulatorContext,
	contactIdOrExternalId: string,
	count: number,
	options: SeedConversationOptions = {},
): Conversation[] {
	const record = findContact(ctx, contactIdOrExternalId);
	if (!record)
		throw new Error(
			`[intercom-bridge] emulator: no contact ${contactIdOrExternalId} to seed conversations for`,
		);
	const start = options.createdAt ?? unixSeconds(ctx.options.now()) - count * 3600;
	const created: Conversation[] = [];
	for (let i = 0; i < count; i++) {
		const id = String(ctx.state.nextConversationId++);
		const conversation = buildConversation(id, record.contact, i + 1, start + i * 3600, options);
		ctx.state.conversations.set(id, conversation);
		created.push(conversation);
	}
	return created;
}

/**
 * The inbox links on the app host (`/a/apps/{app_id}/inbox/inbox/conversation/{id}`), which the
 * bridge writes into activity comments. On Intercom they open the teammate inbox; here they open a
 * readable HTML page of the conversation (its messages and the contact), marked as the emulator's,
 * so a link in the console leads somewhere in a demo. Everything shown is escaped: conversation
 * bodies are HTML from Intercom and contact fields come from visitors, so they are shown as text.
 */
import { Hono } from "hono";
import { type Conversation, toPlainText } from "./conversation-shape.ts";
import type { EmulatorContext } from "./emulator-context.ts";

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;max-width:44rem;margin:2rem auto;padding:0 1rem;color:#1f2933;background:#f7f9fb}
.note{background:#fff7e0;border:1px solid #f0d48a;border-radius:.5rem;padding:.5rem 1rem}
.contact,.part{background:#fff;border:1px solid #d9e2ec;border-radius:.6rem;padding:.75rem 1rem;margin:.75rem 0}
.part.admin{border-left:4px solid #1f73b7}.part.user{border-left:4px solid #6f4e37}
.meta{color:#52606d;font-size:.85rem}dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;margin:0}dt{font-weight:600}dd{margin:0;overflow-wrap:anywhere}
p.body{white-space:pre-wrap;margin:.3rem 0 0;overflow-wrap:anywhere}`;

const when = (unix: number) => new Date(unix * 1000).toUTCString();

function page(title: string, body: string, status = 200): Response {
	const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)} · Intercom emulator</title><style>${STYLE}</style></head>
<body><p class="note" role="note">Intercom emulator: this page stands in for the conversation in Intercom's inbox. On a real workspace the link opens it there.</p>
<h1>${escapeHtml(title)}</h1>${body}</body></html>`;
	return new Response(html, {
		status,
		headers: {
			"Content-Type": "text/html; charset=utf-8",
			"Cache-Control": "no-store",
			// Nothing here needs scripts; bodies are escaped anyway, this is the second lock.
			"Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'",
		},
	});
}

function conversationPage(ctx: EmulatorContext, conversation: Conversation): string {
	const contactRef = conversation.contacts.contacts[0];
	const record = contactRef ? ctx.state.contacts.get(contactRef.id) : undefined;
	const contact = record?.contact;
	const row = (label: string, value: string | null | undefined) =>
		value ? `<dt>${escapeHtml(label)}</dt><dd>${escapeHtml(value)}</dd>` : "";
	const contactHtml = contact
		? `<section class="contact" aria-label="Contact"><h2>Contact</h2><dl>${row("Name", contact.name)}${row("Email", contact.email)}${row("User id (contact GUID)", contact.external_id)}${row("Intercom id", contact.id)}${row("Role", contact.role)}</dl></section>`
		: `<section class="contact" aria-label="Contact"><h2>Contact</h2><p>The contact ${escapeHtml(contactRef?.id ?? "")} no longer exists.</p></section>`;
	const source = conversation.source;
	const message = (who: string, kind: string, at: number, body: string | null) =>
		`<article class="part ${kind}"><div class="meta">${escapeHtml(who)} · <time datetime="${new Date(at * 1000).toISOString()}">${escapeHtml(when(at))}</time></div><p class="body">${escapeHtml(toPlainText(body ?? ""))}</p></article>`;
	const parts = conversation.conversation_parts.conversation_parts
		.filter((p) => p.body !== null)
		.map((p) =>
			message(
				p.author.name ?? p.author.email ?? p.author.type,
				p.author.type === "admin" ? "admin" : "user",
				p.created_at,
				p.body,
			),
		);
	return `<p class="meta">State: ${escapeHtml(conversation.state)} · started ${escapeHtml(when(conversation.created_at))}${source.subject ? ` · subject “${escapeHtml(source.subject)}”` : ""}</p>
${contactHtml}
<section aria-label="Messages"><h2>Messages</h2>
${message(source.author.name ?? source.author.email ?? "Contact", "user", conversation.created_at, source.body)}
${parts.join("\n")}</section>`;
}

/** The inbox pages, mounted on a region's app base. */
export function inboxRoutes(ctx: EmulatorContext): Hono {
	const app = new Hono();
	app.get("/a/apps/:appId/inbox/inbox/conversation/:id", (c) => {
		const appId = c.req.param("appId");
		const id = c.req.param("id");
		if (!ctx.options.apps.some((a) => a.appId === appId))
			return page(
				"Unknown workspace",
				`<p>This emulator has no app <code>${escapeHtml(appId)}</code>.</p>`,
				404,
			);
		const conversation = ctx.state.conversations.get(id);
		if (!conversation)
			return page(
				"Conversation not found",
				`<p>The emulator has no conversation <code>${escapeHtml(id)}</code>. Conversations live in its state file; without one they are gone after a restart.</p>`,
				404,
			);
		return page(`Conversation #${id}`, conversationPage(ctx, conversation));
	});
	return app;
}

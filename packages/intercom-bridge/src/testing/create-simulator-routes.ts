/**
 * "Simulate Intercom": a page that plays the part of a marketer's Intercom Series for the people
 * the emulator's Messenger has met, so the whole loop can be seen offline. It starts
 * conversations (so activities get links), and fires the two Series webhooks (update contact,
 * log activity) at the bridge exactly as Intercom would: unsigned JSON with the API key header.
 * With `clientSecret` it also sends Developer Hub topic notifications (a conversation started,
 * replied to or closed, an email changed), signed as Intercom signs them, which log the activity
 * the site maps to each topic (docs/decisions/0027). It uses the site's real API key and client
 * secret, so every route sits behind `guard` (the console's sign-in).
 *
 * @example
 * app.route("/simulate-intercom", createSimulatorRoutes({ emulator, webhookBaseUrl: "http://localhost:3000/intercom", apiKey, activityTypes, guard: createAdminGate(adminOptions) }));
 */
import { randomBytes } from "node:crypto";
import { Hono, type MiddlewareHandler } from "hono";
import { html, raw } from "hono/html";
import { ConfigError } from "../errors.ts";
import type { IntercomEmulator } from "./create-intercom-emulator.ts";

export interface SimulatorOptions {
	emulator: IntercomEmulator;
	/** Where the bridge's webhooks live, e.g. `http://127.0.0.1:3000/intercom` (or a function giving it). */
	webhookBaseUrl: string | (() => string);
	/** The site's current webhook API key (read when sending, so a rotation shows at once). */
	apiKey: () => Promise<string | null>;
	/** Activity types to offer. */
	activityTypes: () => Promise<{ codeName: string; displayName: string; enabled: boolean }[]>;
	/**
	 * Runs before every route and lets through only those who may fire webhooks with the site's
	 * API key: pass `createAdminGate(adminOptions)` from `intercom-bridge/admin`. Required.
	 */
	guard: MiddlewareHandler;
	/**
	 * The contact's current name in the site's contact store, shown above the name the Messenger
	 * last sent (which may be older, or absent without consent). Optional.
	 */
	contactName?: (userId: string) => Promise<string | null>;
	/** Links shown at the top of the page, e.g. back to the site and to the console. */
	links?: { label: string; href: string }[];
	/** Where the console shows a contact, for links from results (e.g. `/admin/contacts/{guid}`). */
	contactUrl?: (userId: string) => string;
	/** The site's client secret: when given, the page also sends signed Developer Hub topics. */
	clientSecret?: () => Promise<string | null>;
	/** Where the console chooses what each topic logs (e.g. `/admin/sites/default/webhooks#topics-h`). */
	topicsUrl?: string;
}

/** The topics the page sends, with what the emulator does first. */
const TOPICS = [
	["conversation.user.created", "The visitor starts a conversation"],
	["conversation.user.replied", "The visitor replies (message below)"],
	["conversation.admin.replied", "A teammate replies (message below)"],
	["conversation.admin.closed", "A teammate closes the conversation"],
	["contact.email.updated", "The visitor's email changes"],
] as const;

/** One thing the simulator did, in words. */
interface SimulatorResult {
	ok: boolean;
	title: string;
	lines: string[];
	links: { label: string; href: string }[];
}

/** Results kept for showing after the redirect (the newest few; the URL carries only an id). */
const MAX_RESULTS = 50;

const FIELDS = [
	["ContactFirstName", "First name"],
	["ContactLastName", "Last name"],
	["ContactEmail", "Email"],
	["ContactCompanyName", "Company"],
	["ContactJobTitle", "Job title"],
	["ContactCoffeePreference", "Coffee preference (custom field)"],
] as const;

const STYLE = `body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1f2933}
h1{font-size:1.5rem}section{border:1px solid #d9e2ec;border-radius:.6rem;padding:1rem 1.25rem;margin:1rem 0}
label{display:block;margin:.35rem 0}input,select{font:inherit;padding:.3rem .5rem;border:1px solid #9aa5b1;border-radius:.3rem;min-width:16rem}
button{font:inherit;padding:.4rem .9rem;border:0;border-radius:.3rem;background:#1f6feb;color:#fff;cursor:pointer;margin-top:.5rem}
button:focus-visible,input:focus-visible,select:focus-visible{outline:3px solid #f0b429;outline-offset:2px}
.result{background:#e3f8e8;border:1px solid #9fd8ad;padding:.6rem 1rem;border-radius:.4rem}.result.failed{background:#fde8e8;border-color:#f0a3a3}
.result p{margin:.2rem 0}.result strong{display:block}nav.links{display:flex;gap:1rem;flex-wrap:wrap}code{font-size:.9em;overflow-wrap:anywhere}
.current{color:#52606d;font-size:.95rem}`;

/** The simulator's routes (mount them wherever you like). */
export function createSimulatorRoutes(options: SimulatorOptions): Hono {
	if (typeof options.guard !== "function")
		throw new ConfigError(
			"createSimulatorRoutes: options.guard is required (createAdminGate(adminOptions) from intercom-bridge/admin): the page fires webhooks with the site's real API key.",
		);
	const app = new Hono();
	app.use("*", options.guard);
	const base = () =>
		typeof options.webhookBaseUrl === "function" ? options.webhookBaseUrl() : options.webhookBaseUrl;
	const people = () => {
		const seen = new Map<string, { userId: string; name?: string; email?: string }>();
		for (const boot of options.emulator.messengerBoots) {
			if (boot.userId && boot.accepted)
				seen.set(boot.userId, { userId: boot.userId, name: boot.name, email: boot.email });
		}
		return [...seen.values()];
	};

	const results = new Map<string, SimulatorResult>();
	const remember = (result: SimulatorResult) => {
		const id = randomBytes(9).toString("base64url");
		results.set(id, result);
		for (const old of results.keys()) {
			if (results.size <= MAX_RESULTS) break;
			results.delete(old);
		}
		return id;
	};
	const currentName = async (userId: string) =>
		(await options.contactName?.(userId).catch(() => null)) ?? null;

	// Absolute URLs from the mount path, so the page works with or without a trailing slash.
	const prefixOf = (path: string) => path.replace(/\/(conversation|update|activity|topic)?\/?$/, "");
	const page = async (prefix: string, result?: SimulatorResult) => {
		const types = (await options.activityTypes()).filter((t) => t.enabled);
		const list = await Promise.all(
			people().map(async (p) => ({ ...p, current: await currentName(p.userId) })),
		);
		return html`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Simulate Intercom</title>
<meta name="viewport" content="width=device-width,initial-scale=1"><style>${raw(STYLE)}</style></head><body>
${options.links?.length ? html`<nav class="links" aria-label="Demo">${options.links.map((l) => html`<a href="${l.href}">${l.label}</a>`)}</nav>` : ""}
<h1>Simulate Intercom</h1>
<p>Plays a marketer's Intercom Series against <code>${base()}</code> for the visitors the emulated Messenger has met.</p>
${
	result
		? html`<div class="result${result.ok ? "" : " failed"}" role="status"><strong>${result.title}</strong>${result.lines.map((l) => html`<p>${l}</p>`)}${
				result.links.length
					? html`<p>${result.links.map((l, i) => html`${i > 0 ? " · " : ""}<a href="${l.href}">${l.label}</a>`)}</p>`
					: ""
			}</div>`
		: ""
}
${list.length === 0 ? html`<p>No visitor yet: open the demo site in a browser first, so the Messenger boots.</p>` : ""}
${list.map(
	(
		p,
	) => html`<section aria-label="Visitor ${p.userId}"><h2>${p.current ?? p.name ?? "Anonymous visitor"} <small>${p.email ?? ""}</small></h2>
${p.current && p.name && p.current !== p.name ? html`<p class="current">The Messenger last sent the name “${p.name}”; the contact is now called “${p.current}”.</p>` : ""}
<p>Contact GUID (Intercom <code>user_id</code>): <code>${p.userId}</code>${options.contactUrl ? html` · <a href="${options.contactUrl(p.userId)}">open in the console</a>` : ""}</p>
<form method="post" action="${prefix}/conversation"><input type="hidden" name="userId" value="${p.userId}">
<button type="submit">Start a conversation</button></form>
<form method="post" action="${prefix}/update"><input type="hidden" name="userId" value="${p.userId}">
${FIELDS.map(([key, label]) => html`<label>${label} <input name="${key}" autocomplete="off"></label>`)}
<button type="submit">Send "update contact" webhook</button></form>
<form method="post" action="${prefix}/activity"><input type="hidden" name="userId" value="${p.userId}">
<label>Activity type <select name="ActivityType">${types.map((t) => html`<option value="${t.codeName}">${t.displayName}</option>`)}</select></label>
<label>Value <input name="ActivityValue" autocomplete="off"></label>
<label>URL <input name="ActivityURL" autocomplete="off" placeholder="https://…"></label>
<button type="submit">Send "log activity" webhook</button></form>
${
	options.clientSecret
		? html`<form method="post" action="${prefix}/topic"><input type="hidden" name="userId" value="${p.userId}">
<label>Developer Hub topic <select name="topic">${TOPICS.map(([t, label]) => html`<option value="${t}">${label} (${t})</option>`)}</select></label>
<label>Message <input name="message" autocomplete="off" placeholder="for a reply"></label>
<button type="submit">Send signed notification</button></form>`
		: ""
}</section>`,
)}
</body></html>`;
	};

	app.get("/", async (c) => {
		const id = c.req.query("result");
		return c.html(await page(prefixOf(c.req.path), id ? results.get(id) : undefined));
	});

	// A local tool, but still: only forms from this page may fire webhooks.
	app.use("*", async (c, next) => {
		if (c.req.method === "POST") {
			const site = c.req.header("sec-fetch-site");
			const origin = c.req.header("origin");
			const own = new URL(c.req.url).origin;
			if ((site && site !== "same-origin") || (!site && origin && origin !== own))
				return c.text("Cross-site request refused.", 403);
		}
		await next();
	});

	const known = (userId: unknown) =>
		typeof userId === "string" && people().some((p) => p.userId === userId) ? userId : null;
	// The result stays on the server; the URL carries only its id (no response JSON in the address bar).
	const back = (
		c: { req: { path: string }; redirect(url: string, status: 303): Response },
		result: SimulatorResult,
	) => c.redirect(`${prefixOf(c.req.path)}?result=${remember(result)}`, 303);
	const consoleLink = (userId: string) =>
		options.contactUrl ? [{ label: "See the contact in the console", href: options.contactUrl(userId) }] : [];

	/** Each visitor's newest conversation started here, which topics about a conversation concern. */
	const latest = new Map<string, string>();
	const startConversation = (userId: string) => {
		const [conversation] = options.emulator.seedConversations(userId, 1, {
			subject: "Question from the demo site",
		});
		if (conversation) latest.set(userId, conversation.id);
		return conversation?.id ?? "?";
	};

	app.post("/conversation", async (c) => {
		const form = await c.req.parseBody();
		const userId = known(form.userId);
		if (!userId) return c.text("Unknown visitor.", 400);
		const id = startConversation(userId);
		return back(c, {
			ok: true,
			title: `Started conversation #${id}`,
			lines: ["The visitor wrote to the chat. Activities logged from now on link to their conversations."],
			links: [{ label: `Open conversation #${id}`, href: options.emulator.inboxUrl(id) }],
		});
	});

	const send = async (path: string, body: Record<string, unknown>) => {
		const key = await options.apiKey();
		const res = await options.emulator.webhooks.sendSeries({
			url: `${base()}/${path}`,
			method: "POST",
			headers: key ? { "X-Api-Key": key } : {},
			body,
		});
		const text = await res.text();
		let json: Record<string, unknown> = {};
		try {
			json = JSON.parse(text) as Record<string, unknown>;
		} catch {
			// Not JSON: shown as it came.
		}
		return { status: res.status, statusText: res.statusText, json, text };
	};
	const failed = (name: string, r: Awaited<ReturnType<typeof send>>): SimulatorResult => {
		const error = r.json.error as { code?: string; message?: string } | undefined;
		return {
			ok: false,
			title: `The "${name}" webhook failed: HTTP ${r.status} ${r.statusText}`.trim(),
			lines: [error?.message ?? (r.text.slice(0, 500) || "No answer body.")],
			links: [],
		};
	};

	app.post("/update", async (c) => {
		const form = await c.req.parseBody();
		const userId = known(form.userId);
		if (!userId) return c.text("Unknown visitor.", 400);
		const body: Record<string, unknown> = { ContactGUID: userId };
		for (const [key] of FIELDS) if (typeof form[key] === "string" && form[key]) body[key] = form[key];
		const r = await send("updatecontact", body);
		if (r.status !== 200) return back(c, failed("update contact", r));
		const updated = Array.isArray(r.json.updated) ? (r.json.updated as string[]) : [];
		const skipped = Array.isArray(r.json.skipped)
			? (r.json.skipped as { key: string; reason: string }[])
			: [];
		const label = (key: string) => FIELDS.find(([k]) => k === key)?.[1] ?? key;
		return back(c, {
			ok: true,
			title: `"Update contact" webhook: HTTP ${r.status} ${r.statusText}`.trim(),
			lines: [
				r.json.status === "duplicate"
					? "Already received: the bridge ignored this repeat."
					: updated.length
						? `Updated: ${updated.map(label).join(", ")}.`
						: "Nothing to update: every field was empty.",
				...skipped.map((s) => `Not updated: ${label(s.key)} (${s.reason.replaceAll("_", " ")}).`),
			],
			links: consoleLink(userId),
		});
	});

	app.post("/activity", async (c) => {
		const form = await c.req.parseBody();
		const userId = known(form.userId);
		if (!userId) return c.text("Unknown visitor.", 400);
		const body: Record<string, unknown> = { ContactGuid: userId, ActivityType: form.ActivityType };
		if (form.ActivityValue) body.ActivityValue = form.ActivityValue;
		if (form.ActivityURL) body.ActivityURL = form.ActivityURL;
		const r = await send("logactivity", body);
		if (r.status !== 200) return back(c, failed("log activity", r));
		return back(c, {
			ok: true,
			title: `"Log activity" webhook: HTTP ${r.status} ${r.statusText}`.trim(),
			lines: [
				r.json.status === "duplicate"
					? "Already received: the bridge ignored this repeat."
					: `Activity #${String(r.json.activityId)} logged. Its conversation links are filled in by a background job within seconds.`,
			],
			links: consoleLink(userId),
		});
	});

	app.post("/topic", async (c) => {
		const form = await c.req.parseBody();
		const userId = known(form.userId);
		const topic = TOPICS.find(([t]) => t === form.topic)?.[0];
		const secret = await options.clientSecret?.();
		if (!userId || !topic) return c.text("Unknown visitor or topic.", 400);
		if (!secret) {
			return back(c, {
				ok: false,
				title: "No client secret",
				lines: ["Set the site's clientSecret (console: Setup) so notifications can be signed."],
				links: [],
			});
		}
		const message = typeof form.message === "string" && form.message.trim() ? form.message.trim() : "Thanks!";
		let conversation = latest.get(userId);
		if (topic === "conversation.user.created" || (topic.startsWith("conversation.") && !conversation)) {
			conversation = startConversation(userId);
		}
		if (conversation && topic === "conversation.user.replied")
			options.emulator.webhooks.reply(conversation, "user", `<p>${escapeText(message)}</p>`);
		if (conversation && topic === "conversation.admin.replied")
			options.emulator.webhooks.reply(conversation, "admin", `<p>${escapeText(message)}</p>`);
		if (conversation && topic === "conversation.admin.closed") options.emulator.webhooks.close(conversation);
		const res = await options.emulator.webhooks.sendTopic({
			url: `${base()}/webhooks`,
			clientSecret: secret,
			topic,
			...(topic.startsWith("conversation.") ? { conversation } : { contact: userId }),
		});
		const text = await res.text();
		let json: { status?: string; activityId?: number; reason?: string; error?: { message?: string } } = {};
		try {
			json = JSON.parse(text);
		} catch {
			// Not JSON: shown as it came.
		}
		const title = `Notification "${topic}": HTTP ${res.status} ${res.statusText}`.trim();
		if (res.status !== 200)
			return back(c, { ok: false, title, lines: [json.error?.message ?? text.slice(0, 500)], links: [] });
		const links = consoleLink(userId);
		if (json.status === "ignored" && options.topicsUrl)
			links.push({ label: "Choose what this topic logs", href: options.topicsUrl });
		return back(c, {
			ok: true,
			title,
			lines: [
				json.status === "logged"
					? `Activity #${String(json.activityId)} logged.`
					: `Acknowledged; nothing logged (${json.reason ?? json.status ?? "no answer"}).`,
			],
			links,
		});
	});

	return app;
}

/** Text for an HTML body the emulator stores (the reply is rendered as Intercom would). */
function escapeText(text: string): string {
	const named: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" };
	return text.replace(/[&<>"]/g, (ch) => named[ch] ?? ch);
}

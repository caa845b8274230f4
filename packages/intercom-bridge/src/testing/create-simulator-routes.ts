/**
 * "Simulate Intercom": a page that plays the part of a marketer's Intercom Series for the people
 * the emulator's Messenger has met, so the whole loop can be seen offline. It starts
 * conversations (so activities get links), and fires the two Series webhooks (update contact,
 * log activity) at the bridge exactly as Intercom would: unsigned JSON with the API key header.
 * It uses the site's real API key, so every route sits behind `guard` (the console's sign-in).
 *
 * @example
 * app.route("/simulate-intercom", createSimulatorRoutes({ emulator, webhookBaseUrl: "http://localhost:3000/intercom", apiKey, activityTypes, guard: createAdminGate(adminOptions) }));
 */
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
}

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
.result{background:#f0f4f8;padding:.6rem 1rem;border-radius:.4rem;white-space:pre-wrap}code{font-size:.9em}`;

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

	// Absolute URLs from the mount path, so the page works with or without a trailing slash.
	const prefixOf = (path: string) => path.replace(/\/(conversation|update|activity)?\/?$/, "");
	const page = async (prefix: string, message?: string) => {
		const types = (await options.activityTypes()).filter((t) => t.enabled);
		const list = people();
		return html`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Simulate Intercom</title>
<meta name="viewport" content="width=device-width,initial-scale=1"><style>${raw(STYLE)}</style></head><body>
<h1>Simulate Intercom</h1>
<p>Plays a marketer's Intercom Series against <code>${base()}</code> for the visitors the emulated Messenger has met.</p>
${message ? html`<p class="result" role="status">${message}</p>` : ""}
${list.length === 0 ? html`<p>No visitor yet: open the demo site in a browser first, so the Messenger boots.</p>` : ""}
${list.map(
	(
		p,
	) => html`<section aria-label="Visitor ${p.userId}"><h2>${p.name ?? "Anonymous visitor"} <small>${p.email ?? ""}</small></h2>
<p>Contact GUID (Intercom <code>user_id</code>): <code>${p.userId}</code></p>
<form method="post" action="${prefix}/conversation"><input type="hidden" name="userId" value="${p.userId}">
<button type="submit">Start a conversation</button></form>
<form method="post" action="${prefix}/update"><input type="hidden" name="userId" value="${p.userId}">
${FIELDS.map(([key, label]) => html`<label>${label} <input name="${key}" autocomplete="off"></label>`)}
<button type="submit">Send "update contact" webhook</button></form>
<form method="post" action="${prefix}/activity"><input type="hidden" name="userId" value="${p.userId}">
<label>Activity type <select name="ActivityType">${types.map((t) => html`<option value="${t.codeName}">${t.displayName}</option>`)}</select></label>
<label>Value <input name="ActivityValue" autocomplete="off"></label>
<label>URL <input name="ActivityURL" autocomplete="off" placeholder="https://…"></label>
<button type="submit">Send "log activity" webhook</button></form></section>`,
)}
</body></html>`;
	};

	app.get("/", async (c) => c.html(await page(prefixOf(c.req.path), c.req.query("message"))));

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
	const back = (
		c: { req: { path: string }; redirect(url: string, status: 303): Response },
		message: string,
	) => c.redirect(`${prefixOf(c.req.path)}?message=${encodeURIComponent(message)}`, 303);

	app.post("/conversation", async (c) => {
		const form = await c.req.parseBody();
		const userId = known(form.userId);
		if (!userId) return c.text("Unknown visitor.", 400);
		const [conversation] = options.emulator.seedConversations(userId, 1, {
			subject: "Question from the demo site",
		});
		return back(c, `Started conversation ${conversation?.id ?? "?"}.`);
	});

	const send = async (path: string, body: Record<string, unknown>) => {
		const key = await options.apiKey();
		const res = await options.emulator.webhooks.sendSeries({
			url: `${base()}/${path}`,
			method: "POST",
			headers: key ? { "X-Api-Key": key } : {},
			body,
		});
		return `${path}: HTTP ${res.status} ${await res.text()}`;
	};

	app.post("/update", async (c) => {
		const form = await c.req.parseBody();
		const userId = known(form.userId);
		if (!userId) return c.text("Unknown visitor.", 400);
		const body: Record<string, unknown> = { ContactGUID: userId };
		for (const [key] of FIELDS) if (typeof form[key] === "string" && form[key]) body[key] = form[key];
		return back(c, await send("updatecontact", body));
	});

	app.post("/activity", async (c) => {
		const form = await c.req.parseBody();
		const userId = known(form.userId);
		if (!userId) return c.text("Unknown visitor.", 400);
		const body: Record<string, unknown> = { ContactGuid: userId, ActivityType: form.ActivityType };
		if (form.ActivityValue) body.ActivityValue = form.ActivityValue;
		if (form.ActivityURL) body.ActivityURL = form.ActivityURL;
		return back(c, await send("logactivity", body));
	});

	return app;
}

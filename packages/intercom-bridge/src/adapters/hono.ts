/**
 * Hono adapter: a middleware that answers the bridge's routes and gives pages
 * `c.get("intercomScripts")()`, which returns the Messenger script and sets the visitor cookie.
 * The script is already-escaped HTML (hono's HtmlEscapedString): it goes into a hono/html template
 * or JSX as it is, with no `raw()`, and with no `await` (a promise when the bridge must wait,
 * which hono renders asynchronously; the script itself for a visitor served from memory).
 *
 * @example
 * import { Hono } from "hono";
 * import { html } from "hono/html";
 * import { intercomHono } from "intercom-bridge/hono";
 * const app = new Hono();
 * app.use(intercomHono(bridge));
 * app.get("/", (c) => c.html(html`<html><body>Shop${c.get("intercomScripts")()}</body></html>`));
 */
import type { Context, MiddlewareHandler } from "hono";
import { raw } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";
import type { IntercomBridge, MessengerPage, ScriptOptions } from "../bridge/create-intercom-bridge.ts";
import { connectionOf } from "../http/client-address.ts";
import { type NodeRequest, nodeVisitorRequest } from "../http/node-request.ts";
import { setClientAddress, type VisitorRequest } from "../http/request-info.ts";

/**
 * `intercomScripts`: the page's Messenger script as escaped HTML; synchronously when the bridge
 * serves the visitor from memory, else a promise. `await` on it works either way.
 */
export type IntercomHonoVariables = {
	intercomScripts: (options?: ScriptOptions) => HtmlEscapedString | Promise<HtmlEscapedString>;
};

/**
 * The visitor view of a Hono request. Under @hono/node-server, a view of the Node request: reading
 * c.req.raw's headers would build a Fetch Headers from every raw header, which costs more than a
 * cached page view. Elsewhere the Fetch Request, with the client's address noted beside it (new
 * contacts are limited per address: the bridge's newContactsPerMinute).
 */
function visitorRequestOf(c: Context): VisitorRequest {
	const incoming = (c.env as { incoming?: NodeRequest } | undefined)?.incoming;
	if (incoming?.headers && incoming.socket) return nodeVisitorRequest(incoming);
	setClientAddress(c.req.raw, connectionOf(c.env).clientAddress);
	return c.req.raw;
}

/**
 * The page's script as hono's escaped HTML. Kept beside the page: a visitor served from memory
 * gets the same page object each view (create-page-view.ts), so a repeat view allocates nothing.
 */
const escaped = new WeakMap<MessengerPage, HtmlEscapedString>();
function htmlOf(page: MessengerPage): HtmlEscapedString {
	let html = escaped.get(page);
	if (html === undefined) {
		html = raw(page.html);
		escaped.set(page, html);
	}
	return html;
}

export function intercomHono(
	bridge: IntercomBridge,
): MiddlewareHandler<{ Variables: IntercomHonoVariables }> {
	return async (c, next) => {
		// The client's address where the runtime gives it (@hono/node-server): for per-address limits.
		if (bridge.ownsPath(c.req.path)) return bridge.handler(c.req.raw, connectionOf(c.env));
		// The script and the Set-Cookie come in one call; a known visitor's is served from memory,
		// synchronously: then its headers are set below without waiting on a promise again.
		let served: MessengerPage | undefined;
		let pending: Promise<MessengerPage> | undefined;
		let pageOptions: ScriptOptions | undefined;
		let visitor: VisitorRequest | undefined;
		c.set("intercomScripts", (options) => {
			pageOptions = options;
			visitor ??= visitorRequestOf(c);
			const page = bridge.messenger.page(visitor, options);
			if (page instanceof Promise) {
				pending = page;
				// A page resolved for this view only: nothing to keep.
				return page.then((resolved) => raw(resolved.html));
			}
			served = page;
			return htmlOf(page);
		});
		await next();
		let page = served;
		if (!page && pending) {
			// Should the script have failed (and the page gone out without it), ask again for the
			// Set-Cookie: page() knows when there must be none (a cache-safe page).
			page = await pending.catch(() => bridge.messenger.page(visitor ?? visitorRequestOf(c), pageOptions));
		}
		if (page) {
			if (page.setCookie) c.res.headers.append("Set-Cookie", page.setCookie);
			// Over whatever the route set: a shared cache must never keep a page naming its visitor.
			if (page.cacheControl) c.res.headers.set("Cache-Control", page.cacheControl);
		}
	};
}

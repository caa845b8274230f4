/**
 * Hono adapter: a middleware that answers the bridge's routes and gives pages
 * `c.get("intercomScripts")()`, which returns the Messenger script and sets the visitor cookie.
 *
 * @example
 * import { Hono } from "hono";
 * import { intercomHono } from "intercom-bridge/hono";
 * const app = new Hono();
 * app.use(intercomHono(bridge));
 * app.get("/", async (c) => c.html(`<html><body>Shop${await c.get("intercomScripts")()}</body></html>`));
 */
import type { MiddlewareHandler } from "hono";
import type { IntercomBridge, MessengerPage, ScriptOptions } from "../bridge/create-intercom-bridge.ts";
import { connectionOf } from "../http/client-address.ts";
import { type NodeRequest, nodeVisitorRequest } from "../http/node-request.ts";
import { setClientAddress, type VisitorRequest } from "../http/request-info.ts";

export type IntercomHonoVariables = { intercomScripts: (options?: ScriptOptions) => Promise<string> };

export function intercomHono(
	bridge: IntercomBridge,
): MiddlewareHandler<{ Variables: IntercomHonoVariables }> {
	return async (c, next) => {
		// The client's address where the runtime gives it (@hono/node-server): for per-address limits.
		if (bridge.ownsPath(c.req.path)) return bridge.handler(c.req.raw, connectionOf(c.env));
		// The script and the Set-Cookie come in one call; a known visitor's is served from memory.
		let page: Promise<MessengerPage> | undefined;
		let pageOptions: ScriptOptions | undefined;
		let visitor: VisitorRequest | undefined;
		const visitorRequest = (): VisitorRequest => {
			if (visitor) return visitor;
			// Under @hono/node-server, a view of the Node request: reading c.req.raw's headers would
			// build a Fetch Headers from every raw header, which costs more than a cached page view.
			const incoming = (c.env as { incoming?: NodeRequest } | undefined)?.incoming;
			if (incoming?.headers && incoming.socket) visitor = nodeVisitorRequest(incoming);
			else {
				// New contacts are limited per address (the bridge's newContactsPerMinute).
				setClientAddress(c.req.raw, connectionOf(c.env).clientAddress);
				visitor = c.req.raw;
			}
			return visitor;
		};
		c.set("intercomScripts", (options) => {
			pageOptions = options;
			page = Promise.resolve(bridge.messenger.page(visitorRequest(), options));
			return page.then((p) => p.html);
		});
		await next();
		if (page) {
			// Should the script have failed (and the page gone out without it), ask again for the
			// Set-Cookie: page() knows when there must be none (a cache-safe page).
			const { setCookie, cacheControl } = await page.catch(() =>
				bridge.messenger.page(visitorRequest(), pageOptions),
			);
			if (setCookie) c.res.headers.append("Set-Cookie", setCookie);
			// Over whatever the route set: a shared cache must never keep a page naming its visitor.
			if (cacheControl) c.res.headers.set("Cache-Control", cacheControl);
		}
	};
}

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
import type { IntercomBridge, ScriptOptions } from "../bridge/create-intercom-bridge.ts";

export type IntercomHonoVariables = { intercomScripts: (options?: ScriptOptions) => Promise<string> };

export function intercomHono(
	bridge: IntercomBridge,
): MiddlewareHandler<{ Variables: IntercomHonoVariables }> {
	return async (c, next) => {
		if (bridge.ownsPath(c.req.path)) return bridge.handler(c.req.raw);
		// The script and the Set-Cookie come in one call; a known visitor's is served from memory.
		let page: Promise<{ html: string; setCookie: string | null }> | undefined;
		let cacheSafe = false;
		c.set("intercomScripts", (options) => {
			cacheSafe = options?.cacheSafe ?? bridge.options.messenger.cacheSafe ?? false;
			page = bridge.messenger.page(c.req.raw, options);
			return page.then((p) => p.html);
		});
		await next();
		if (page) {
			// Should the script have failed (and the page gone out without it), try the visit again;
			// a cache-safe page never carries a cookie (see messenger.page).
			const { setCookie } = await page.catch(
				(): Promise<{ setCookie: string | null }> | { setCookie: null } =>
					cacheSafe ? { setCookie: null } : bridge.visit(c.req.raw),
			);
			if (setCookie) c.res.headers.append("Set-Cookie", setCookie);
		}
	};
}

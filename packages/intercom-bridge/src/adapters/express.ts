/**
 * Express 5 adapter: one middleware that answers the bridge's routes and puts the Messenger script
 * for the current visitor in `res.locals.intercomScripts` on HTML page requests.
 *
 * @example
 * import express from "express";
 * import { intercomExpress } from "intercom-bridge/express";
 * const app = express();
 * app.use(intercomExpress(bridge));            // before express.json(): webhooks need the raw body
 * app.get("/", (req, res) => res.send(`<html><body>Shop${res.locals.intercomScripts}</body></html>`));
 * // A page with Messenger settings of its own (cookie and Cache-Control are already set):
 * app.get("/help", async (req, res) =>
 *   res.send(`<html><body>Help${await res.locals.intercomScriptsWith({ hide_default_launcher: true })}</body></html>`));
 * app.listen(3000);
 */
import type { Request as ExpressRequest, Response as ExpressResponse, NextFunction } from "express";
import type { IntercomBridge } from "../bridge/create-intercom-bridge.ts";
import { applyPageHeaders, nodeVisitorRequest } from "../http/node-request.ts";
import type { MessengerPageSettings } from "../messenger/page-settings.ts";
import { toNodeHandler } from "./node.ts";

export interface IntercomExpressOptions {
	/** The CSP nonce of this response, e.g. `(req, res) => res.locals.cspNonce`. */
	nonce?: (req: ExpressRequest, res: ExpressResponse) => string | undefined;
}

/** True for requests that render a page (GET/HEAD asking for HTML). */
function isPageRequest(req: ExpressRequest): boolean {
	return (req.method === "GET" || req.method === "HEAD") && (req.headers.accept ?? "").includes("text/html");
}

/** The Express middleware. Errors go to `next(err)`. */
export function intercomExpress(bridge: IntercomBridge, options: IntercomExpressOptions = {}) {
	const handle = toNodeHandler(bridge);
	return async (req: ExpressRequest, res: ExpressResponse, next: NextFunction): Promise<void> => {
		try {
			if (bridge.ownsPath(req.path)) return await handle(req, res);
			if (!isPageRequest(req)) {
				res.locals.intercomScripts = "";
				res.locals.intercomScriptsWith = async () => "";
				return next();
			}
			// One view of the request for both: the visitor is resolved once, never created twice.
			const view = nodeVisitorRequest(req);
			const nonce = options.nonce?.(req, res);
			res.locals.intercomScripts = applyPageHeaders(res, await bridge.messenger.page(view, { nonce }));
			res.locals.intercomScriptsWith = (settings: MessengerPageSettings) =>
				bridge.messenger.script(view, { nonce, settings });
			next();
		} catch (err) {
			next(err);
		}
	};
}

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
 * app.listen(3000);
 */
import type { Request as ExpressRequest, Response as ExpressResponse, NextFunction } from "express";
import type { IntercomBridge } from "../bridge/create-intercom-bridge.ts";
import { nodeMessengerScript, toNodeHandler } from "./node.ts";

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
			res.locals.intercomScripts = isPageRequest(req)
				? await nodeMessengerScript(bridge, req, res, { nonce: options.nonce?.(req, res) })
				: "";
			next();
		} catch (err) {
			next(err);
		}
	};
}

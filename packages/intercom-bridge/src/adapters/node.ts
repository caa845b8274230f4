/**
 * node:http adapter: the bridge's routes as a node:http handler, and the Messenger script for a
 * page. The conversion itself is http/node-request.ts, shared with the other Node adapters.
 *
 * @example
 * import { createServer } from "node:http";
 * import { toNodeHandler, nodeMessengerScript } from "intercom-bridge/node";
 * const intercom = toNodeHandler(bridge);
 * createServer(async (req, res) => {
 *   if (bridge.ownsPath(new URL(req.url ?? "/", "http://x").pathname)) return intercom(req, res);
 *   const scripts = await nodeMessengerScript(bridge, req, res);   // also sets the visitor cookie
 *   res.setHeader("content-type", "text/html").end(`<html><body><h1>Shop</h1>${scripts}</body></html>`);
 * }).listen(3000);
 */
import type { ServerResponse } from "node:http";
import type { IntercomBridge, ScriptOptions } from "../bridge/create-intercom-bridge.ts";
import {
	applyPageHeaders,
	createNodeHandler,
	DEFAULT_BODY_LIMIT,
	type NodeRequest,
	nodeVisitorRequest,
} from "../http/node-request.ts";

export { answerClientError } from "../http/answer-client-error.ts";
export {
	type NodeRequest,
	nodeVisitorRequest,
	toBridgeRequest,
	toWebRequest,
	writeWebResponse,
} from "../http/node-request.ts";

/** A node:http handler for the bridge's routes. */
export const toNodeHandler = (bridge: IntercomBridge) =>
	createNodeHandler(bridge.handler, bridge.options.webhooks.bodyLimitBytes ?? DEFAULT_BODY_LIMIT);

/**
 * The Messenger script for a page served by node:http; sets the visitor cookie on `res` when needed
 * (a new visitor, or a contact merged into another), and `Cache-Control: private, no-store` when
 * the script names the visitor (do not mark such a page public afterwards). A known visitor seen
 * moments ago costs a few map look-ups: no query, no HMAC, and no Fetch `Request` is built.
 */
export function nodeMessengerScript(
	bridge: IntercomBridge,
	req: NodeRequest,
	res: ServerResponse,
	options?: ScriptOptions,
): Promise<string> {
	const page = bridge.messenger.page(nodeVisitorRequest(req), options);
	return page instanceof Promise
		? page.then((p) => applyPageHeaders(res, p))
		: Promise.resolve(applyPageHeaders(res, page));
}

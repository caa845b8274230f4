/**
 * The bridge's routes under /intercom: the Messenger settings and browser module, consents, and
 * the webhooks Intercom Series call (`/intercom/updatecontact`, `/intercom/logactivity`, ...).
 */
import { toNextHandler } from "intercom-bridge/next";
import { getBridge } from "../../../lib/bridge";

// Every answer depends on the request (cookies, API keys): never prerendered or cached.
export const dynamic = "force-dynamic";

async function handle(request: Request): Promise<Response> {
	return toNextHandler(await getBridge()).GET(request);
}

export { handle as GET, handle as HEAD, handle as OPTIONS, handle as POST, handle as PUT };

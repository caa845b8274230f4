/**
 * Next.js App Router adapter: route handlers for the bridge's paths, and a helper for a layout.
 *
 * @example
 * // app/intercom/[...path]/route.ts
 * import { toNextHandler } from "intercom-bridge/next";
 * export const { GET, POST, PUT, HEAD } = toNextHandler(bridge);
 *
 * // app/layout.tsx (server component)
 * import { headers } from "next/headers";
 * import { nextMessengerScript } from "intercom-bridge/next";
 * const script = await nextMessengerScript(bridge, await headers());
 * // or with this layout's own Messenger settings: { settings: { hide_default_launcher: true } }
 * // <body>{children}{script && <script {...script.attributes} dangerouslySetInnerHTML={{ __html: script.js }} />}</body>
 */
import type { IntercomBridge } from "../bridge/create-intercom-bridge.ts";
import type { VisitorRequest } from "../http/request-info.ts";
import type { MessengerPageSettings } from "../messenger/page-settings.ts";

export interface NextHandlerOptions {
	/**
	 * The client's IP for a request, for the webhooks' per-address limits. Next.js gives route
	 * handlers no peer address; on Vercel pass `ipAddress` from `@vercel/functions`. Without it,
	 * the limits apply only with `trustProxy` (the bridge then reads `X-Forwarded-For`).
	 */
	clientAddress?: (request: Request) => string | null | undefined;
}

/** Route handlers for `app/<basePath>/[...path]/route.ts`. */
export function toNextHandler(bridge: IntercomBridge, options: NextHandlerOptions = {}) {
	const { clientAddress } = options;
	const handler = (request: Request) =>
		bridge.handler(request, clientAddress ? { clientAddress: clientAddress(request) } : undefined);
	return { GET: handler, HEAD: handler, POST: handler, PUT: handler, OPTIONS: handler };
}

/**
 * The Messenger script for a layout. Server components cannot set cookies, so this is always the
 * cache-safe script: the same for every visitor; the visitor's settings (and cookie) come from the
 * bridge's settings endpoint in the browser. Returns null when the Messenger is off for the site.
 */
export async function nextMessengerScript(
	bridge: IntercomBridge,
	headers: { get(name: string): string | null },
	options: { nonce?: string; settings?: MessengerPageSettings } = {},
): Promise<{ js: string; attributes: Record<string, string> } | null> {
	// Pass the headers on as they came: the bridge believes X-Forwarded-* only with trustProxy.
	const host = headers.get("host") || "localhost";
	const passed: Record<string, string> = { host };
	for (const name of ["cookie", "x-forwarded-host", "x-forwarded-proto"]) {
		const value = headers.get(name);
		if (value) passed[name] = value;
	}
	// What the bridge reads of a request, without building one (see VisitorRequest).
	const request: VisitorRequest = {
		url: `http://${host}/`,
		method: "GET",
		headers: { get: (name) => (Object.hasOwn(passed, name) ? (passed[name] ?? null) : null) },
	};
	const html = await bridge.messenger.script(request, {
		cacheSafe: true,
		nonce: options.nonce,
		settings: options.settings,
	});
	const match = /^<script[^>]*>([\s\S]*)<\/script>$/.exec(html);
	if (!match?.[1]) return null;
	return {
		js: match[1],
		attributes: { "data-cfasync": "false", ...(options.nonce ? { nonce: options.nonce } : {}) },
	};
}

/**
 * What the console needs to know about a request: its public origin, whether it came over HTTPS,
 * the client's IP, and whether a `next` path is safe to redirect to. Host, scheme and address are
 * read by the shared rules of http/request-info.ts and http/client-address.ts; this file adds
 * only the console's `publicUrl` and the `next` check.
 *
 * `X-Forwarded-*` headers are believed only with `trustProxy`: without a proxy that overwrites
 * them, any client could claim HTTPS or another IP (and so dodge the per-IP sign-in limit).
 */
import type { Context } from "hono";
import { clientAddress } from "../http/client-address.ts";
import { requestOrigin } from "../http/request-info.ts";

export interface RequestInfoOptions {
	trustProxy: boolean;
	/** The console's public URL, when configured (it wins over the request's Host). */
	publicUrl?: string;
}

/** True when the browser reached the console over HTTPS (proxy headers only when trusted). */
export function isHttps(c: Context, options: RequestInfoOptions): boolean {
	return requestOrigin(c.req.raw, options.trustProxy).secure;
}

/**
 * True for a loopback host, with or without a port: `localhost`, an IPv4 address in 127.0.0.0/8
 * (also IPv4-mapped, `::ffff:127.x.y.z`) and `::1` (bracketed or not). Traffic to these never
 * leaves the machine, so plain HTTP there exposes nothing on a network. Anything else is false.
 */
export function isLoopbackHost(hostWithPort: string): boolean {
	let host = hostWithPort.trim().toLowerCase();
	const bracketed = /^\[([^\]]*)\](?::\d*)?$/.exec(host);
	if (bracketed) host = bracketed[1] ?? "";
	else if (!host.includes("::")) host = host.replace(/:\d*$/, "");
	host = host.replace(/\.$/, "");
	if (host === "localhost") return true;
	if (host === "::1" || host === "0:0:0:0:0:0:0:1") return true;
	const v4 = /^(?:::ffff:)?(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
	return v4 !== null && v4[1] === "127" && v4.slice(2).every((octet) => Number(octet) <= 255);
}

/** True when the browser reached the console on a loopback host (see {@link isLoopbackHost}). */
export const isLoopbackRequest = (c: Context, options: RequestInfoOptions): boolean =>
	isLoopbackHost(requestOrigin(c.req.raw, options.trustProxy).host);

/** The origin the browser sees (`https://admin.example.com`): publicUrl, else the request (and proxy headers when trusted). */
export function publicOrigin(c: Context, options: RequestInfoOptions): string {
	if (options.publicUrl) return new URL(options.publicUrl).origin;
	try {
		return new URL(requestOrigin(c.req.raw, options.trustProxy).origin).origin;
	} catch {
		return new URL(c.req.url).origin;
	}
}

/** The client's IP: the connection's, or with trustProxy the address our proxy appended last. */
export const clientIp = (c: Context, options: RequestInfoOptions): string | null =>
	clientAddress(c, options.trustProxy);

/**
 * A redirect target from a `next` parameter: only a same-origin path under `basePath` or one of
 * `returnPaths` (one leading `/`, no `//`, no `\`, no scheme, checked after decoding). Anything
 * else gives `fallback`.
 */
export function safeNextPath(
	raw: string | undefined,
	basePath: string,
	fallback: string,
	returnPaths: readonly string[] = [],
): string {
	if (!raw || raw.length > 500) return fallback;
	let decoded = raw;
	try {
		for (let i = 0; i < 3 && /%[0-9a-f]{2}/i.test(decoded); i++) decoded = decodeURIComponent(decoded);
	} catch {
		return fallback;
	}
	if (
		!decoded.startsWith("/") ||
		decoded.startsWith("//") ||
		/[\\\s]/.test(decoded) ||
		/^\/[^/]*:/.test(decoded)
	) {
		return fallback;
	}
	const under = (path: string, base: string) =>
		path === base || path.startsWith(`${base}/`) || path.startsWith(`${base}?`);
	const bases = [basePath, ...returnPaths];
	if (!bases.some((base) => under(decoded, base))) return fallback;
	// Resolve dot segments the way a browser would and check the result is still ours.
	const resolved = new URL(raw, "http://x.invalid");
	if (
		resolved.origin !== "http://x.invalid" ||
		!bases.some((base) => `${resolved.pathname}/`.startsWith(`${base}/`))
	)
		return fallback;
	return `${resolved.pathname}${resolved.search}`;
}

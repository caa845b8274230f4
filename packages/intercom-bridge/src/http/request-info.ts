/** What the bridge reads from a request: host, scheme, origin checks and bot detection. */
import { pickAddress } from "./client-address.ts";

/**
 * What the bridge reads from a visitor's request: its absolute URL (only for the scheme, and for
 * the host when there is no Host header), its method and a few headers. A Fetch `Request` is one;
 * so is a cheap view of a framework's request (the node adapter passes one for page views), so a
 * page view need not build a URL, Headers and Request for the Messenger script.
 */
export interface VisitorRequest {
	/** The absolute URL (`https://shop.example.com/products`). */
	readonly url: string;
	/** The HTTP method, upper case. */
	readonly method: string;
	/** Header look-up by lower-case name, as `Headers.get`: null when absent. */
	readonly headers: { get(name: string): string | null };
	/**
	 * The peer's IP address, where the framework knows it (the node adapter's view sets it; for a
	 * Fetch `Request` see {@link setClientAddress}). Limits new contacts per address.
	 */
	readonly clientAddress?: string | null;
	/**
	 * An object that lives as long as the client's connection (the node adapters give the socket),
	 * where there is one: the visitor cookie remembers the last header verified on it, so a visitor's
	 * next page view over a kept-alive connection finds its cookie by comparing, not by hashing.
	 */
	readonly connection?: object;
}

// A Fetch Request carries no peer address; the adapters note it here beside the request.
const addresses = new WeakMap<object, string>();

/** Notes the peer address of a Fetch `Request` (for adapters: `c.req.raw` and the connection's address). */
export function setClientAddress(request: VisitorRequest, address: string | null | undefined): void {
	if (address) addresses.set(request, address);
}

/** The client address of a visitor's request, by the rule of the per-address limits (pickAddress). */
export function visitorAddress(request: VisitorRequest, trustProxy: boolean): string | null {
	const connection = request.clientAddress ?? addresses.get(request);
	return pickAddress(request.headers.get("x-forwarded-for"), connection, trustProxy);
}

/**
 * The last entry of a proxy header's comma-separated list: the one our own proxy wrote. A proxy that
 * appends keeps what the client sent in front, so the first entry is the client's to choose (the
 * same rule as for X-Forwarded-For, see pickAddress).
 */
const nearestListed = (value: string | null) => {
	if (!value) return "";
	const comma = value.lastIndexOf(",");
	return (comma < 0 ? value : value.slice(comma + 1)).trim();
};

/**
 * The host a request was sent to, as {@link requestOrigin} reads it, without parsing the URL; null
 * when there is no Host header (then only the URL knows it).
 */
export function requestHost(request: VisitorRequest, trustProxy: boolean): string | null {
	if (trustProxy) {
		const forwarded = nearestListed(request.headers.get("x-forwarded-host"));
		if (forwarded) return forwarded;
	}
	return request.headers.get("host");
}

/**
 * Host and scheme of a request; X-Forwarded-Host and -Proto only when the proxy is trusted, and then
 * their last (nearest) entry.
 */
export function requestOrigin(
	request: VisitorRequest,
	trustProxy: boolean,
): { host: string; secure: boolean; origin: string } {
	// The URL is parsed only when the Host header is missing: the scheme is its first letters.
	const host = requestHost(request, trustProxy) ?? new URL(request.url).host;
	let proto = /^https:/i.test(request.url) ? "https" : "http";
	if (trustProxy) {
		const fProto = nearestListed(request.headers.get("x-forwarded-proto")).toLowerCase();
		if (fProto === "https" || fProto === "http") proto = fProto;
	}
	return { host, secure: proto === "https", origin: `${proto}://${host}` };
}

/**
 * True when a state-changing request comes from a page of the same site: `Sec-Fetch-Site` says
 * same-origin, or else `Origin` (or, failing that, `Referer`) matches the request's own origin.
 */
export function isSameOrigin(request: VisitorRequest, trustProxy: boolean): boolean {
	const site = request.headers.get("sec-fetch-site");
	if (site) return site === "same-origin";
	const { origin } = requestOrigin(request, trustProxy);
	const claimed = request.headers.get("origin") ?? refererOrigin(request.headers.get("referer"));
	return claimed !== null && claimed.toLowerCase() === origin.toLowerCase();
}

function refererOrigin(referer: string | null): string | null {
	if (!referer) return null;
	try {
		return new URL(referer).origin;
	} catch {
		return null;
	}
}

const BOT_RE =
	/bot\b|bot\/|crawler|spider|slurp|bingpreview|facebookexternalhit|embedly|quora link preview|whatsapp|telegram|discordbot|preview|monitor|uptime|pingdom|lighthouse|curl\/|wget\/|python-requests|python-urllib|go-http-client|java\/|okhttp|axios\/|node-fetch|undici|httpclient|libwww|scrapy|headlesschrome.*(bot|crawler)/i;

/**
 * True for requests that should not become contacts: crawlers and link previewers by User-Agent,
 * a missing User-Agent, and speculative prefetches.
 */
export function isLikelyBot(request: VisitorRequest): boolean {
	const ua = request.headers.get("user-agent");
	if (!ua || ua.length < 10) return true;
	const purpose = request.headers.get("sec-purpose") ?? request.headers.get("purpose");
	if (purpose && /prefetch|prerender/i.test(purpose)) return true;
	return BOT_RE.test(ua);
}

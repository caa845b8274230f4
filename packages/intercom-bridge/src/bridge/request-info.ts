/** What the bridge reads from a request: host, scheme, origin checks and bot detection. */

/** Host and scheme of a request; X-Forwarded-* only when the proxy is trusted. */
export function requestOrigin(
	request: Request,
	trustProxy: boolean,
): { host: string; secure: boolean; origin: string } {
	const url = new URL(request.url);
	let host = request.headers.get("host") ?? url.host;
	let proto = url.protocol.replace(":", "");
	if (trustProxy) {
		const fHost = request.headers.get("x-forwarded-host")?.split(",")[0]?.trim();
		const fProto = request.headers.get("x-forwarded-proto")?.split(",")[0]?.trim().toLowerCase();
		if (fHost) host = fHost;
		if (fProto === "https" || fProto === "http") proto = fProto;
	}
	return { host, secure: proto === "https", origin: `${proto}://${host}` };
}

/**
 * True when a state-changing request comes from a page of the same site: `Sec-Fetch-Site` says
 * same-origin, or else `Origin` (or, failing that, `Referer`) matches the request's own origin.
 */
export function isSameOrigin(request: Request, trustProxy: boolean): boolean {
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
export function isLikelyBot(request: Request): boolean {
	const ua = request.headers.get("user-agent");
	if (!ua || ua.length < 10) return true;
	const purpose = request.headers.get("sec-purpose") ?? request.headers.get("purpose");
	if (purpose && /prefetch|prerender/i.test(purpose)) return true;
	return BOT_RE.test(ua);
}

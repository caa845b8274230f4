/**
 * The current visitor: site by Host, contact by signed cookie, consent states — in at most one
 * indexed read for a known contact (settings and sites come from the store's cache). Anonymous
 * contacts are created lazily: only for page views (GET/HEAD), only when tracking is allowed, and
 * never for bots or prefetches. Each Request is resolved once (memoised).
 */
import type { SiteSettings } from "../settings/setting-keys.ts";
import type { Contact } from "../store/contact-store.ts";
import type { Site } from "../store/site-store.ts";
import type { ResolvedBridgeOptions } from "./bridge-options.ts";
import { isLikelyBot, requestOrigin } from "./request-info.ts";
import { createVisitorCookie } from "./visitor-cookie.ts";

export interface Visit {
	site: Site | null;
	settings: SiteSettings | null;
	contact: Contact | null;
	/** The contact's state for each consent the decisions need. */
	agreed: Record<string, boolean>;
	/** A Set-Cookie header value to send with the response (new contact, or a merged GUID), else null. */
	setCookie: string | null;
	/** True when the request came over HTTPS. */
	secure: boolean;
}

export function createVisitorTracker(
	options: ResolvedBridgeOptions,
	extraConsents: (settings: SiteSettings) => string[],
) {
	const { store } = options;
	const cookie = createVisitorCookie({ ...options.cookie, key: store.deriveKey("visitor-cookie") });
	const visits = new WeakMap<Request, { create: boolean; promise: Promise<Visit> }>();
	// Known visitors, for as long as settings are cached (2 s by default): repeated page views of
	// one visitor cost no query. Changes made through this bridge drop the entry at once; a change
	// by another process shows within the cache time, as settings do.
	const known = new Map<
		string,
		{ at: number; value: { contact: Contact; agreed: Record<string, boolean> }; codes: string }
	>();
	const MAX_KNOWN = 10_000;
	const lookup = async (guid: string, codes: string[]) => {
		const key = codes.join("\u0000");
		const hit = known.get(guid);
		if (hit && hit.codes === key && store.now() - hit.at <= store.cacheMaxAgeMs) return hit.value;
		const found = await store.getVisitorContact(guid, codes);
		if (found) {
			if (known.size >= MAX_KNOWN) known.delete(known.keys().next().value as string);
			known.set(guid, { at: store.now(), value: found, codes: key });
		} else known.delete(guid);
		return found;
	};
	const trackingConsent = typeof options.tracking === "object" ? options.tracking.consent : null;

	function consentCodes(settings: SiteSettings): string[] {
		const codes = extraConsents(settings);
		if (trackingConsent) codes.push(trackingConsent);
		return [...new Set(codes)];
	}

	async function resolve(request: Request, create: boolean): Promise<Visit> {
		const { host, secure } = requestOrigin(request, options.trustProxy);
		const site = await store.resolveSiteByHost(host);
		if (!site) return { site: null, settings: null, contact: null, agreed: {}, setCookie: null, secure };
		const settings = await store.getSettings(site.id);
		const codes = consentCodes(settings);
		const guid = cookie.read(request.headers.get("cookie"));
		if (guid) {
			const found = await lookup(guid, codes);
			if (found) {
				const moved = found.contact.guid !== guid; // merged into another contact: follow it
				return {
					site,
					settings,
					...found,
					setCookie: moved ? cookie.write(found.contact.guid, secure) : null,
					secure,
				};
			}
		}
		const agreed = Object.fromEntries(codes.map((c) => [c, false]));
		const pageView = request.method === "GET" || request.method === "HEAD";
		if (!create || !pageView || trackingConsent || isLikelyBot(request)) {
			return { site, settings, contact: null, agreed, setCookie: null, secure };
		}
		const contact = await store.createContact();
		return { site, settings, contact, agreed, setCookie: cookie.write(contact.guid, secure), secure };
	}

	return {
		cookie,
		consentCodes,
		/**
		 * The visitor of `request` (memoised per Request). `create: false` never writes.
		 * @throws StoreUnavailableError when the database is down.
		 */
		visit(request: Request, opts: { create?: boolean } = {}): Promise<Visit> {
			const create = opts.create ?? true;
			const cached = visits.get(request);
			if (cached && (cached.create || !create)) return cached.promise;
			// A read-only look-up came first; a page view may still create the contact.
			const promise = (async () => {
				const earlier = cached && (await cached.promise);
				return earlier?.contact ? earlier : resolve(request, create);
			})();
			visits.set(request, { create, promise });
			// A failed lookup must not be cached for the request's lifetime.
			promise.catch(() => visits.delete(request));
			return promise;
		},
		/** Forgets what is cached about these contact GUIDs (after a change to them). */
		forget(...guids: (string | null | undefined)[]) {
			for (const guid of guids) if (guid) known.delete(guid.toLowerCase());
		},
		/** Makes the visit of `request` refer to `contact` from now on (after identify/agree). */
		remember(request: Request, visit: Visit) {
			visits.set(request, { create: true, promise: Promise.resolve(visit) });
		},
	};
}

export type VisitorTracker = ReturnType<typeof createVisitorTracker>;

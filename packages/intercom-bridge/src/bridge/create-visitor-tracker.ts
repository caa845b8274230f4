/**
 * The current visitor: site by Host, contact by signed cookie, consent states — in at most one
 * indexed read for a known contact (settings and sites come from the store's cache). Anonymous
 * contacts are created lazily: only for page views (GET/HEAD), only when tracking is allowed, and
 * never for bots or prefetches. Each request is resolved once (memoised).
 *
 * For the Messenger script's cached path (see `fromMemory` in create-page-view.ts) the
 * tracker also answers synchronously from what it remembers: a Host's site and settings (checked
 * with the store every 0.1 s, in the background), a known contact (read within the cache age).
 */

import { addressKey } from "../http/client-address.ts";
import { createRateLimiter } from "../http/create-rate-limiter.ts";
import {
	isLikelyBot,
	requestHost,
	requestOrigin,
	type VisitorRequest,
	visitorAddress,
} from "../http/request-info.ts";
import type { SiteSettings } from "../settings/setting-keys.ts";
import { setBounded, singleFlight } from "../store/cache-helpers.ts";
import type { Contact } from "../store/contact-store.ts";
import type { Site } from "../store/site-store.ts";
import type { ResolvedBridgeOptions } from "./bridge-options.ts";
import type { PageMemo } from "./create-page-view.ts";
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

/** A known contact with its consent states, as the tracker remembers it. */
export interface KnownVisitor {
	contact: Contact;
	agreed: Record<string, boolean>;
}

/** A Host's site and that site's settings, as the store gave them. */
export interface KnownSite {
	site: Site;
	settings: SiteSettings;
}

/** A known visitor and when it was read (the store's clock), for a caller that keeps it. */
export interface KnownVisitorEntry {
	at: number;
	value: KnownVisitor;
}

/** How many known contacts, and how many Host names, are remembered at most. */
const MAX_KNOWN = 10_000;
const MAX_HOSTS = 1_000;
/** Longer hosts (host names have at most 253 characters, and a port) are not remembered. */
const MAX_HOST_LENGTH = 300;
/**
 * How old (ms) a Host's site and settings may be before one look-up refreshes them from the store
 * in the background, page views using them meanwhile; and how old before page views stop using
 * them and resolve the visit themselves (the store failing or slow to answer). Both at most the
 * store's cache age.
 */
const SITE_RECHECK_MS = 100;
const SITE_MAX_AGE_MS = 1000;

/**
 * The scheme and authority of an absolute URL ("https://shop.example.com:8443"), without parsing
 * it: everything before the path's first "/". The URL's host is a function of it.
 */
function urlOrigin(url: string): string {
	const slash = url.indexOf("/", url.indexOf("://") + 3);
	return slash < 0 ? url : url.slice(0, slash);
}

export function createVisitorTracker(
	options: ResolvedBridgeOptions,
	extraConsents: (settings: SiteSettings) => string[],
) {
	const { store } = options;
	// Each verified cookie value keeps the page view's answer for it (create-page-view.ts).
	const cookie = createVisitorCookie<PageMemo>({
		...options.cookie,
		key: store.deriveKey("visitor-cookie"),
	});
	const visits = new WeakMap<VisitorRequest, { create: boolean; promise: Promise<Visit> }>();
	// New contacts per client address: a flood of cookie-less "visitors" from one address would
	// otherwise add a contact per request.
	const newContacts = createRateLimiter({
		capacity: options.newContactsPerMinute,
		periodMs: 60_000,
		now: options.now,
	});
	let newContactsRefused = 0;
	/** Takes one new contact from the request's address; the seconds to wait when there is none (counted). */
	function newContactWait(request: VisitorRequest): number {
		const address = visitorAddress(request, options.trustProxy);
		const wait = address ? newContacts.take(addressKey(address)) : 0;
		if (wait > 0) newContactsRefused++;
		return wait;
	}
	// Known visitors, for as long as settings are cached (2 s by default): repeated page views of
	// one visitor cost no query. Changes made through this bridge drop the entry at once; a change
	// by another process shows within the cache time, as settings do.
	const known = new Map<string, { at: number; value: KnownVisitor; codes: string }>();
	const fresh = (at: number) => store.now() - at <= store.cacheMaxAgeMs;
	const contactReads = new Map<string, Promise<KnownVisitor | null>>();
	// Bumped by forget(): a read that started before a change must not be remembered after it.
	let generation = 0;
	const lookup = async (guid: string, codes: readonly string[], key: string) => {
		const hit = known.get(guid);
		if (hit && hit.codes === key && fresh(hit.at)) return hit.value;
		return singleFlight(contactReads, `${guid} ${key}`, async () => {
			const started = generation;
			const found = await store.getVisitorContact(guid, codes);
			if (started === generation) {
				if (found) setBounded(known, MAX_KNOWN, guid, { at: store.now(), value: found, codes: key });
				else known.delete(guid);
			}
			return found;
		});
	};
	const siteReads = new Map<string, Promise<Site | null>>();
	const siteOf = (host: string) => singleFlight(siteReads, host, () => store.resolveSiteByHost(host));
	const settingsReads = new Map<string, Promise<SiteSettings>>();
	const settingsOf = (siteId: number) =>
		singleFlight(settingsReads, String(siteId), () => store.getSettings(siteId));
	// The site and settings of each Host header, and for requests without one (a Fetch Request
	// keeps its host in its URL) of each URL origin: the store caches both too, but asking it
	// (async, normalising the host) costs more than the rest of a cached page view. Two maps, so a
	// forged Host header can never stand for a URL.
	// An entry knows its map and key, and whether it is still the map's entry for that key
	// (`current`): a caller holding one (the page view's memo) can check it without a look-up.
	type SiteEntry = KnownSite & {
		at: number;
		host: string;
		refreshing: boolean;
		map: Map<string, SiteEntry>;
		key: string;
		current: boolean;
	};
	const byHost = new Map<string, SiteEntry>();
	const byOrigin = new Map<string, SiteEntry>();
	const siteRecheckMs = Math.min(SITE_RECHECK_MS, store.cacheMaxAgeMs);
	const siteMaxAgeMs = Math.min(SITE_MAX_AGE_MS, store.cacheMaxAgeMs);
	const dropSite = (map: Map<string, SiteEntry>, key: string) => {
		const old = map.get(key);
		if (old) old.current = false;
		map.delete(key);
	};
	const rememberSite = (map: Map<string, SiteEntry>, key: string, host: string, value: KnownSite) => {
		if (key.length > MAX_HOST_LENGTH) return;
		dropSite(map, key);
		if (map.size >= MAX_HOSTS) dropSite(map, map.keys().next().value as string);
		map.set(key, { ...value, at: store.now(), host, refreshing: false, map, key, current: true });
	};
	const refreshSite = (map: Map<string, SiteEntry>, key: string, entry: SiteEntry) => {
		entry.refreshing = true;
		const refresh = async () => {
			const site = await siteOf(entry.host);
			if (!site) return dropSite(map, key);
			rememberSite(map, key, entry.host, { site, settings: await settingsOf(site.id) });
		};
		refresh().catch(() => {
			entry.refreshing = false; // the next page view tries again
		});
	};
	const siteKey = (request: VisitorRequest) => {
		const host = requestHost(request, options.trustProxy);
		return host === null ? { map: byOrigin, key: urlOrigin(request.url) } : { map: byHost, key: host };
	};
	const trackingConsent = typeof options.tracking === "object" ? options.tracking.consent : null;
	// Consent codes per settings object (the store hands out the same object while it is cached).
	const codesOf = new WeakMap<SiteSettings, { codes: readonly string[]; key: string }>();

	function consents(settings: SiteSettings) {
		let entry = codesOf.get(settings);
		if (!entry) {
			const codes = extraConsents(settings);
			if (trackingConsent) codes.push(trackingConsent);
			const unique = [...new Set(codes)];
			entry = { codes: unique, key: unique.join("\u0000") };
			codesOf.set(settings, entry);
		}
		return entry;
	}

	function consentCodes(settings: SiteSettings): readonly string[] {
		return consents(settings).codes;
	}

	async function resolve(request: VisitorRequest, create: boolean): Promise<Visit> {
		const { host, secure } = requestOrigin(request, options.trustProxy);
		const site = await siteOf(host);
		if (!site) return { site: null, settings: null, contact: null, agreed: {}, setCookie: null, secure };
		const settings = await settingsOf(site.id);
		const { map, key: siteKeyOf } = siteKey(request);
		rememberSite(map, siteKeyOf, host, { site, settings });
		const { codes, key } = consents(settings);
		const guid = cookie.read(request.headers.get("cookie"));
		if (guid) {
			const found = await lookup(guid, codes, key);
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
		if (newContactWait(request) > 0)
			return { site, settings, contact: null, agreed, setCookie: null, secure };
		const contact = await store.createContact();
		return { site, settings, contact, agreed, setCookie: cookie.write(contact.guid, secure), secure };
	}

	return {
		cookie,
		consentCodes,
		/** Page views and settings requests that got no contact because their address was over the limit. */
		newContactsRefused: () => newContactsRefused,
		newContactWait,
		/**
		 * The visitor of `request` (memoised per request object). `create: false` never writes.
		 * @throws StoreUnavailableError when the database is down.
		 */
		visit(request: VisitorRequest, opts: { create?: boolean } = {}): Promise<Visit> {
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
		/**
		 * Bumped each time contacts are forgotten: what a caller derived from a known visitor holds
		 * only while this is unchanged.
		 */
		generation: () => generation,
		/** Forgets what is cached about these contact GUIDs (after a change to them). */
		forget(...guids: (string | null | undefined)[]) {
			generation++;
			contactReads.clear();
			for (const guid of guids) if (guid) known.delete(guid.toLowerCase());
		},
		/** Makes the visit of `request` refer to `contact` from now on (after identify/agree). */
		remember(request: VisitorRequest, visit: Visit) {
			visits.set(request, { create: true, promise: Promise.resolve(visit) });
		},
		/** True when `request` was resolved (or is being resolved): its visit may differ from its cookie. */
		visited: (request: VisitorRequest) => visits.has(request),
		/**
		 * The site and settings of the request's Host as the store gave them moments ago (see
		 * SITE_RECHECK_MS), or undefined (resolve the visit then). Synchronous, for the cached page
		 * view; an entry past its recheck time is refreshed in the background. `hint`, an entry this
		 * returned before, is used without a look-up when it is still the entry for this request.
		 */
		cachedSite(request: VisitorRequest, now = store.now(), hint?: KnownSite): KnownSite | undefined {
			const host = requestHost(request, options.trustProxy);
			const map = host === null ? byOrigin : byHost;
			const key = host ?? urlOrigin(request.url);
			const held = hint as SiteEntry | undefined;
			const hit = held?.current && held.map === map && held.key === key ? held : map.get(key);
			if (!hit) return undefined;
			const age = now - hit.at;
			if (age > siteRecheckMs) {
				if (age > siteMaxAgeMs) return undefined;
				if (!hit.refreshing) refreshSite(map, key, hit);
			}
			return hit;
		},
		/**
		 * The contact of `guid` with the consent states `settings` need, and when it was read, when that
		 * was within the cache age; else undefined (then only {@link visit} knows). Synchronous, never reads.
		 * `now` (the store's clock) lets a page view read the clock once for both look-ups.
		 */
		cachedVisitor(guid: string, settings: SiteSettings, now = store.now()): KnownVisitorEntry | undefined {
			const hit = known.get(guid);
			return hit && hit.codes === consents(settings).key && now - hit.at <= store.cacheMaxAgeMs
				? hit
				: undefined;
		},
	};
}

export type VisitorTracker = ReturnType<typeof createVisitorTracker>;

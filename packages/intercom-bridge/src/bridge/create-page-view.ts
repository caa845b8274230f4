/**
 * A page view's one way through the core: from the request to the Messenger script, its
 * Set-Cookie and its Cache-Control, and the same decision for the settings endpoint. The adapters
 * call {@link PageView.page} once per page; nothing here calls back into the facade.
 *
 * A known visitor seen moments ago is answered synchronously from memory (the tracker's site and
 * visitor caches, the Messenger's render cache): a few map look-ups, no URL parsing, no HMAC, no
 * query, no promise and no serialisation (docs/decisions/0007). Otherwise the visit is resolved
 * once, the decision made and its disclosure recorded, and the script rendered, filling the caches.
 */

import type { VisitorRequest } from "../http/request-info.ts";
import { buildMessengerSettings, type MessengerDecision } from "../messenger/build-messenger-settings.ts";
import {
	checkPageSettings,
	GOVERNED_SETTINGS,
	governedSettingError,
	type MessengerPageSettings,
	type MessengerSettingValue,
} from "../messenger/page-settings.ts";
import { createRenderCache } from "../messenger/render-cache.ts";
import { serializeForScript } from "../messenger/serialize-for-script.ts";
import type { SiteSettings } from "../settings/setting-keys.ts";
import type { Contact } from "../store/contact-store.ts";
import type { ResolvedBridgeOptions } from "./bridge-options.ts";
import type { KnownSite, Visit, VisitorTracker } from "./create-visitor-tracker.ts";

/** What a page's response needs from the bridge. */
export interface MessengerPage {
	/** The HTML to put before `</body>`. */
	html: string;
	/** A Set-Cookie value the response must carry, or null. */
	setCookie: string | null;
	/** The Cache-Control the response must carry (the script names the visitor), or null. */
	cacheControl: string | null;
}

/** Cache-Control of a page whose Messenger script names the visitor: no shared cache may keep it. */
export const PERSONAL_PAGE_CACHE_CONTROL = "private, no-store";

/** Options of one page's script. */
export interface ScriptOptions {
	/** The page's CSP nonce. */
	nonce?: string;
	/** Override the configured cache-safe mode for this page. */
	cacheSafe?: boolean;
	/**
	 * Messenger settings for this page only, over the bridge-wide `messenger.settings` hook's:
	 * appearance and behaviour (`hide_default_launcher`, `language_override`, ...) and extra custom
	 * attributes. Identity and data-policy fields are refused (ValidationError).
	 */
	settings?: MessengerPageSettings;
}

/** A page's extra settings and their serialised form (the render cache's variant; "" for none). */
interface PageExtras {
	extras: Record<string, MessengerSettingValue> | null;
	variant: string;
}

/**
 * A page answered from memory, kept in the slot of the verified cookie value it was answered for
 * (visitor-cookie.ts), so a repeat view of that value costs one look-up, not one per cache. It
 * holds while the Host's site entry has the same settings object, the contact was read within the
 * cache age (`at`, as the tracker's own check), and no contact was forgotten since (`generation`):
 * the same conditions under which the caches it was derived from would answer the same page.
 */
export interface PageMemo {
	/** The Host's site entry it was answered for: checked without a look-up while current. */
	site: KnownSite;
	settings: SiteSettings;
	/** When the contact was read (the store's clock). */
	at: number;
	/** The tracker's generation when it was made. */
	generation: number;
	page: MessengerPage;
}

const NO_EXTRAS: PageExtras = { extras: null, variant: "" };
/** The options of a page that gives none: one object, not one per call. */
const NO_OPTIONS: ScriptOptions = Object.freeze({});

/** Creates the page-view logic of one bridge over its visitor tracker. */
export function createPageView(options: ResolvedBridgeOptions, tracker: VisitorTracker) {
	const { messenger, store } = options;
	// Beside each kept script, the page answered with it from memory (frozen, shared by its views).
	const cache = createRenderCache<MessengerPage>({
		settingsUrl: `${options.basePath}/messenger/settings`,
		lazy: messenger.lazy,
	});
	const cacheSafeFor = (opts: ScriptOptions) => opts.cacheSafe ?? messenger.cacheSafe ?? false;
	const cacheControlOf = (html: string, opts: ScriptOptions) =>
		html === "" || cacheSafeFor(opts) ? null : PERSONAL_PAGE_CACHE_CONTROL;

	// Custom attributes named in the options are the data policy's: no page may set them.
	const governed = new Set([
		...GOVERNED_SETTINGS,
		...(messenger.customAttributes && typeof messenger.customAttributes === "object"
			? Object.keys(messenger.customAttributes)
			: []),
	]);
	const HOOK = "messenger.settings(ctx)";
	const PAGE = "The page's Messenger settings (the settings option)";

	/** The hook's and the page's settings for one page view, checked. */
	function extrasOf(request: VisitorRequest, contact: Contact | null, opts: ScriptOptions): PageExtras {
		if (!messenger.settings && !opts.settings) return NO_EXTRAS;
		const hooked = messenger.settings
			? checkPageSettings(messenger.settings({ request, contact }), HOOK, governed)
			: null;
		const own = checkPageSettings(opts.settings, PAGE, governed);
		const extras = hooked && own ? { ...hooked, ...own } : (hooked ?? own);
		return extras ? { extras, variant: serializeForScript(extras) } : NO_EXTRAS;
	}

	/** The decision with the page's settings over it; a data-policy field among them is refused. */
	function withExtras(decision: MessengerDecision, extras: PageExtras["extras"]): MessengerDecision {
		if (!extras || !decision.enabled) return decision;
		// The fields this visitor's decision sends (custom attributes from a function included).
		for (const field of decision.disclosure?.fields ?? []) {
			if (Object.hasOwn(extras, field)) throw governedSettingError(field, `${PAGE} or ${HOOK}`);
		}
		return { ...decision, settings: { ...decision.settings, ...extras } };
	}

	/** The Messenger decision for a resolved visit. Synchronous: no I/O. */
	function decide(visit: Visit): MessengerDecision {
		if (!visit.site || !visit.settings) return { enabled: false, reason: "disabled" };
		return buildMessengerSettings({
			settings: visit.settings,
			visitor: visit,
			options: messenger,
			endpoints: options.endpoints(visit.settings.region),
			now: options.now,
		});
	}

	// Disclosures this process has recorded (or found on record): a page view re-rendered after its
	// cache expired then costs no statement. Bounded; forgetting one only repeats an idempotent insert.
	const recorded = new Set<string>();

	/**
	 * Records in the disclosure log what `decision` sends of the visitor to Intercom (docs/reliability.md
	 * P5), once per distinct disclosure, before it is sent: when the database cannot take the
	 * record, this throws and the data is not sent either.
	 */
	async function disclose(
		visit: Visit,
		decision: MessengerDecision,
		channel: "page" | "settings",
	): Promise<void> {
		if (!decision.enabled || !decision.disclosure || !visit.site || !visit.contact) return;
		const { fields, policy, consentCode } = decision.disclosure;
		const key = `${visit.site.id}|${visit.contact.guid}|${channel}|${fields.join(",")}|${policy}|${consentCode ?? ""}`;
		if (recorded.has(key)) return;
		await store.recordDisclosure({
			siteId: visit.site.id,
			guid: visit.contact.guid,
			recipient: "intercom",
			channel,
			fields,
			policy,
			consentCode,
		});
		if (recorded.size >= 10_000) recorded.delete(recorded.values().next().value as string);
		recorded.add(key);
	}

	/**
	 * The page from memory alone, or undefined. It is there when the request's Host was resolved
	 * moments ago (its site and settings), its cookie verified before, its contact read within the
	 * cache age and not merged away (that needs a Set-Cookie), and the script rendered for that
	 * contact, its consents and those settings.
	 */
	function fromMemory(request: VisitorRequest, opts: ScriptOptions): MessengerPage | undefined {
		// A request already resolved may have been identified or merged since: its cookie is outdated.
		if (opts.nonce || tracker.visited(request)) return undefined;
		const cookie = tracker.cookie.verified(request.headers.get("cookie"), request.connection);
		if (!cookie) return undefined;
		// One reading of the clock for both ages: it is a system call on some machines.
		const now = store.now();
		const memo = cookie.memo;
		const known = tracker.cachedSite(request, now, memo?.site);
		if (!known) return undefined;
		const { settings } = known;
		// The memo serves only pages with no extras of their own (their variant is ""), not cache-safe.
		const plain = !messenger.settings && !opts.settings && !cacheSafeFor(opts);
		if (
			plain &&
			memo !== undefined &&
			memo.settings === settings &&
			memo.generation === tracker.generation() &&
			now - memo.at <= store.cacheMaxAgeMs
		) {
			memo.site = known;
			return memo.page;
		}
		const { guid } = cookie;
		const generation = tracker.generation();
		const entry = tracker.cachedVisitor(guid, settings, now);
		const visitor = entry?.value;
		if (!entry || !visitor || visitor.contact.guid !== guid) return undefined;
		if (cacheSafeFor(opts)) {
			const html =
				settings.enabled && settings.appId
					? cache.cacheSafe(undefined, extrasOf(request, null, opts).extras)
					: "";
			return { html, setCookie: null, cacheControl: null };
		}
		const { variant } = extrasOf(request, visitor.contact, opts);
		const hit = cache.entry(guid, visitor.contact, settings, visitor.agreed, variant);
		if (!hit) return undefined;
		// Not cache-safe here (answered above), so its Cache-Control depends on the script alone.
		hit.view ??= Object.freeze({
			html: hit.html,
			setCookie: null,
			cacheControl: cacheControlOf(hit.html, opts),
		});
		if (plain) cookie.memo = { site: known, settings, at: entry.at, generation, page: hit.view };
		return hit.view;
	}

	async function resolved(request: VisitorRequest, opts: ScriptOptions): Promise<MessengerPage> {
		if (cacheSafeFor(opts)) {
			// The page must be the same for everyone, and a shared cache may keep it, Set-Cookie and
			// all: no visitor data, no cookie and no new contact here. The settings endpoint (no-store)
			// identifies the visitor, creates one if need be, and moves a merged visitor's cookie.
			const { settings } = await tracker.visit(request, { create: false });
			const html =
				settings?.enabled && settings.appId
					? cache.cacheSafe(opts.nonce, extrasOf(request, null, opts).extras)
					: "";
			return { html, setCookie: null, cacheControl: null };
		}
		const visit = await tracker.visit(request);
		const { extras, variant } = extrasOf(request, visit.contact, opts);
		const key =
			visit.contact && visit.settings
				? {
						guid: visit.contact.guid,
						contact: visit.contact,
						settings: visit.settings,
						agreed: visit.agreed,
						variant,
					}
				: null;
		let html = key && !opts.nonce ? cache.get(key) : undefined;
		if (html === undefined) {
			const decision = withExtras(decide(visit), extras);
			// Recorded before the script can reach the page; once per distinct disclosure.
			await disclose(visit, decision, "page");
			// No await from here to the cache: concurrent views of the visitor then render it only once.
			html = cache.render(decision, opts.nonce, key);
		}
		return { html, setCookie: visit.setCookie, cacheControl: cacheControlOf(html, opts) };
	}

	return {
		decide,
		disclose,
		cacheControl: cacheControlOf,
		/**
		 * The Messenger script, Set-Cookie and Cache-Control of one page: synchronously when the
		 * visitor was seen moments ago, else a promise. Resolves the visit at most once.
		 */
		page(request: VisitorRequest, opts: ScriptOptions = NO_OPTIONS): MessengerPage | Promise<MessengerPage> {
			return fromMemory(request, opts) ?? resolved(request, opts);
		},
		/** The visit and Messenger decision for the settings endpoint (disclosure recorded). */
		async settings(request: VisitorRequest): Promise<{ visit: Visit; decision: MessengerDecision }> {
			const visit = await tracker.visit(request);
			const decision = decide(visit);
			await disclose(visit, decision, "settings");
			return { visit, decision };
		},
	};
}

/** A bridge's page-view logic. See {@link createPageView}. */
export type PageView = ReturnType<typeof createPageView>;

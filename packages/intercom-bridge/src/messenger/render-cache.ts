/**
 * The Messenger script's render cache: the HTML rendered for a visitor, kept while the visitor,
 * its consents and the site's settings are the very objects it was rendered from (the bridge's
 * caches hand out the same objects while nothing changed), so a repeat page view costs no HMAC
 * and no serialisation (docs/decisions/0007). Also the cache-safe script, the same for every page
 * without a nonce.
 *
 * @example
 * const cache = createRenderCache({ settingsUrl: "/intercom/messenger/settings" });
 * const html = cache.get(key) ?? cache.render(decision, {}, key);
 */
import type { MessengerDecision } from "./build-messenger-settings.ts";
import { type RenderOptions, renderCacheSafeScript, renderInlineScript } from "./render-messenger-script.ts";

/** What a rendered script was made from: compared by identity, never by value. */
export interface RenderKey {
	/** The contact's GUID. */
	guid: string;
	contact: object;
	settings: object;
	agreed: object;
	/**
	 * What else went into the script, as a string (the page's extra settings); "" for none. A page
	 * with other extras never gets this HTML.
	 */
	variant: string;
}

/** How many visitors' scripts are kept at most (the oldest goes first). */
const MAX_RENDERED = 10_000;

/**
 * A kept script and what its caller made of it: `view` is the caller's to fill once (the page
 * view keeps its answer there, so a repeat view allocates nothing); dropped with the entry.
 */
export interface RenderEntry<View> extends RenderKey {
	html: string;
	view?: View;
}

/** Creates a render cache for one bridge; `View` is what the caller keeps beside each script. */
export function createRenderCache<View = never>(options: {
	settingsUrl: string;
	lazy?: RenderOptions["lazy"];
}) {
	const rendered = new Map<string, RenderEntry<View>>();
	let cacheSafeHtml: string | undefined;
	const renderOptions = (nonce: string | undefined): RenderOptions => ({ nonce, lazy: options.lazy });

	return {
		/**
		 * The cache-safe script (the same for everyone); rendered once unless there is a nonce or
		 * the page adds settings of its own.
		 */
		cacheSafe(nonce?: string, extras: Record<string, unknown> | null = null): string {
			if (nonce || extras) return renderCacheSafeScript(options.settingsUrl, renderOptions(nonce), extras);
			cacheSafeHtml ??= renderCacheSafeScript(options.settingsUrl, renderOptions(undefined));
			return cacheSafeHtml;
		},

		/** The HTML rendered for exactly `key`'s objects and variant, or undefined. */
		get(key: RenderKey): string | undefined {
			return this.entry(key.guid, key.contact, key.settings, key.agreed, key.variant)?.html;
		},

		/**
		 * The entry rendered for exactly these objects and variant, or undefined. Positional, so the
		 * cached page view builds no key object.
		 */
		entry(
			guid: string,
			contact: object,
			settings: object,
			agreed: object,
			variant: string,
		): RenderEntry<View> | undefined {
			const hit = rendered.get(guid);
			return hit &&
				hit.contact === contact &&
				hit.settings === settings &&
				hit.agreed === agreed &&
				hit.variant === variant
				? hit
				: undefined;
		},

		/**
		 * Renders the script for `decision` ("" when the Messenger is off) and, given a key (never
		 * with a nonce: that makes every script unique), keeps it for the next view.
		 */
		render(decision: MessengerDecision, nonce: string | undefined, key: RenderKey | null): string {
			const html = decision.enabled
				? renderInlineScript(decision.settings, decision.widgetUrl, renderOptions(nonce))
				: "";
			if (!key || nonce) return html;
			// Kept as one flat string: built from many pieces, it would be walked piece by piece each
			// time a page containing it is written.
			const flat = Buffer.from(html).toString();
			if (rendered.size >= MAX_RENDERED && !rendered.has(key.guid))
				rendered.delete(rendered.keys().next().value as string);
			rendered.set(key.guid, {
				guid: key.guid,
				contact: key.contact,
				settings: key.settings,
				agreed: key.agreed,
				variant: key.variant,
				html: flat,
			});
			return flat;
		},
	};
}

/** A bridge's render cache. See {@link createRenderCache}. */
export type RenderCache = ReturnType<typeof createRenderCache>;

/**
 * The HTML that puts the Messenger on a page: one inline `<script>` (so a CSP nonce covers it)
 * holding `window.intercomSettings` and Intercom's current loader, which also works when injected
 * after `load` (readyState check). `data-cfasync="false"` keeps Cloudflare's Rocket Loader from
 * deferring it. Every value is escaped for an inline script (serialize-for-script.ts).
 */
import type { IntercomSettings } from "./build-messenger-settings.ts";
import { escapeAttribute, serializeForScript } from "./serialize-for-script.ts";

export interface RenderOptions {
	/** The page's CSP nonce for this response; put on the script and on the widget script it adds. */
	nonce?: string;
	/** Load on first interaction or when idle instead of at `load`. */
	lazy?: boolean | { idleTimeoutMs?: number };
}

function scriptTag(body: string, nonce: string | undefined): string {
	const n = nonce ? ` nonce="${escapeAttribute(nonce)}"` : "";
	return `<script${n} data-cfasync="false">${body}</script>`;
}

/**
 * The statements that add the widget script from `src` (a JS expression). No `async`: a script
 * added this way is async already. The nonce goes on it as the IDL property, which is what CSP
 * checks; only when there is one.
 */
function addScript(src: string, nonce: string | undefined): string {
	const n = nonce ? `s.nonce=${serializeForScript(nonce)};` : "";
	return `var s=d.createElement("script");s.src=${src};${n}(d.head||d.documentElement).appendChild(s)`;
}

/**
 * The loader, given `start`: statements that add the widget when the Messenger is to load. Queues `Intercom(...)` calls until the widget
 * arrives, like Intercom's own snippet, and behaves as it does: a page that already has the
 * Messenger only reattaches and updates it; otherwise the widget loads at `load` (or at once when
 * the page has loaded already). Written out minified by hand, because every page view carries
 * these bytes (docs/decisions/0045): only the branch in use is sent, no `type` on the added script
 * (it is the default), no `attachEvent` (old IE only), and the once-guard only where two events
 * can start it (lazy).
 */
function loader(options: RenderOptions, start: string): string {
	let boot: string;
	let guard = "";
	if (options.lazy) {
		const idle =
			typeof options.lazy === "object" && options.lazy.idleTimeoutMs
				? Math.max(0, Math.floor(options.lazy.idleTimeoutMs))
				: 4000;
		guard = "if(t)return;t=1;";
		// The first interaction, or the browser's next idle time after `idle` ms, whichever comes first.
		boot =
			`var t,e=["pointerdown","keydown","touchstart","scroll"],g=function(){e.forEach(function(v){w.removeEventListener(v,g,!0)});l()};` +
			`e.forEach(function(v){w.addEventListener(v,g,{capture:!0,passive:!0})});` +
			`setTimeout(function(){w.requestIdleCallback?w.requestIdleCallback(g,{timeout:2e3}):g()},${idle})`;
	} else {
		boot = `d.readyState=="complete"?l():w.addEventListener("load",l)`;
	}
	return (
		`(function(w,d){var c=w.Intercom;if(typeof c=="function"){c("reattach_activator");c("update",w.intercomSettings);return}` +
		`var i=function(){i.c(arguments)};i.q=[];i.c=function(a){i.q.push(a)};w.Intercom=i;` +
		`var l=function(){${guard}${start}};${boot}})(window,document)`
	);
}

/** The script for a page whose visitor settings are known: settings inline, then the loader. */
export function renderInlineScript(
	settings: IntercomSettings,
	widgetUrl: string,
	options: RenderOptions = {},
): string {
	const body = `window.intercomSettings=${serializeForScript(settings)};${loader(options, addScript(serializeForScript(widgetUrl), options.nonce))}`;
	return scriptTag(body, options.nonce);
}

/**
 * The cache-safe script: the same for every visitor. It fetches the visitor's settings from
 * `settingsUrl` (answered with Cache-Control: no-store) and boots only then.
 */
export function renderCacheSafeScript(
	settingsUrl: string,
	options: RenderOptions = {},
	extras: Record<string, unknown> | null = null,
): string {
	// A page's own settings (never identity: see page-settings.ts) go over the visitor's.
	const settings = extras ? `Object.assign(m.settings,${serializeForScript(extras)})` : "m.settings";
	const start =
		`fetch(${serializeForScript(settingsUrl)},{credentials:"same-origin",cache:"no-store",headers:{accept:"application/json"}})` +
		`.then(function(r){return r.ok?r.json():null}).then(function(m){if(m&&m.enabled){w.intercomSettings=${settings};${addScript("m.widgetUrl", options.nonce)}}})` +
		`.catch(function(){})`;
	return scriptTag(loader(options, start), options.nonce);
}

/** A script that ends the Messenger session (sign-out, consent revoked): clears Intercom's cookies. */
export function renderShutdownScript(options: { nonce?: string } = {}): string {
	// Where the Messenger runs, shutdown ends its session. A page without it (a sign-out page) would
	// leave the session cookie for the next person at the browser: delete it here, on the host and
	// on each parent domain, since Intercom may have set it on the site's registrable domain.
	return scriptTag(
		`(function(){var w=window,d=document;if(typeof w.Intercom==="function"){w.Intercom("shutdown");}` +
			`var h=location.hostname.split(".");d.cookie.split(";").forEach(function(c){` +
			`var n=c.split("=")[0].trim();if(n.indexOf("intercom-session-")!==0)return;` +
			`d.cookie=n+"=;path=/;max-age=0";` +
			`for(var i=0;i<h.length-1;i++)d.cookie=n+"=;path=/;max-age=0;domain="+h.slice(i).join(".");` +
			`});})();`,
		options.nonce,
	);
}

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
 * The loader, given an expression that yields the widget URL when called. Queues `Intercom(...)`
 * calls until the widget arrives, like Intercom's own snippet.
 */
function loader(options: RenderOptions, start: string): string {
	const nonce = options.nonce ? serializeForScript(options.nonce) : "null";
	// Only the branch in use is sent: every page view carries these bytes.
	let boot: string;
	if (options.lazy) {
		const idle =
			typeof options.lazy === "object" && options.lazy.idleTimeoutMs
				? Math.max(0, Math.floor(options.lazy.idleTimeoutMs))
				: 4000;
		boot =
			`var ev=["pointerdown","keydown","touchstart","scroll"];var go=function(){for(var k=0;k<ev.length;k++){w.removeEventListener(ev[k],go,true);}l();};` +
			`for(var k=0;k<ev.length;k++){w.addEventListener(ev[k],go,{capture:true,passive:true});}` +
			`setTimeout(function(){if(w.requestIdleCallback){w.requestIdleCallback(go,{timeout:2000});}else{go();}},${idle});`;
	} else {
		boot = `if(d.readyState==="complete"){l();}else if(w.attachEvent){w.attachEvent("onload",l);}else{w.addEventListener("load",l,false);}`;
	}
	return (
		`(function(w,d,nonce){var ic=w.Intercom;if(typeof ic==="function"){ic("reattach_activator");ic("update",w.intercomSettings);return;}` +
		`var i=function(){i.c(arguments);};i.q=[];i.c=function(a){i.q.push(a);};w.Intercom=i;` +
		`var add=function(u){var s=d.createElement("script");s.type="text/javascript";s.async=true;s.src=u;if(nonce){s.setAttribute("nonce",nonce);}(d.head||d.documentElement).appendChild(s);};` +
		`var started=false;var l=function(){if(started){return;}started=true;${start}};${boot}` +
		`})(window,document,${nonce});`
	);
}

/** The script for a page whose visitor settings are known: settings inline, then the loader. */
export function renderInlineScript(
	settings: IntercomSettings,
	widgetUrl: string,
	options: RenderOptions = {},
): string {
	const body = `window.intercomSettings=${serializeForScript(settings)};${loader(options, `add(${serializeForScript(widgetUrl)});`)}`;
	return scriptTag(body, options.nonce);
}

/**
 * The cache-safe script: the same for every visitor. It fetches the visitor's settings from
 * `settingsUrl` (answered with Cache-Control: no-store) and boots only then.
 */
export function renderCacheSafeScript(settingsUrl: string, options: RenderOptions = {}): string {
	const start =
		`fetch(${serializeForScript(settingsUrl)},{credentials:"same-origin",cache:"no-store",headers:{accept:"application/json"}})` +
		`.then(function(r){return r.ok?r.json():null;}).then(function(m){if(!m||!m.enabled){return;}w.intercomSettings=m.settings;add(m.widgetUrl);})` +
		`.catch(function(){});`;
	return scriptTag(loader(options, start), options.nonce);
}

/** A script that ends the Messenger session (sign-out, consent revoked): clears Intercom's cookies. */
export function renderShutdownScript(options: { nonce?: string } = {}): string {
	return scriptTag(`if(typeof window.Intercom==="function"){window.Intercom("shutdown");}`, options.nonce);
}

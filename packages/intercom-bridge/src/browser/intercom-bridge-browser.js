/**
 * intercom-bridge/browser: boots the Intercom Messenger from the bridge's settings endpoint, for
 * single-page apps and cache-safe pages. No framework, no dependencies.
 *
 *   import { start, refresh, agree, revoke, shutdown } from "intercom-bridge/browser";
 *   await start({ basePath: "/intercom" });   // fetches the visitor's settings, loads the widget
 *   await refresh();                           // after sign-in or sign-out: re-boots as the new visitor
 *
 * Served as a classic script at `{basePath}/browser.js`, where it defines `window.IntercomBridge`.
 * Calls to `window.Intercom(...)` made before the widget has loaded are queued, as with Intercom's
 * own snippet.
 */

let config = { basePath: "/intercom", nonce: null };
/** Identity the Messenger was booted with: null = not booted. */
let booted = null;
let widgetRequested = false;

function ensureStub() {
	const w = window;
	if (typeof w.Intercom === "function") return;
	const i = (...args) => i.c(args);
	i.q = [];
	i.c = (args) => i.q.push(args);
	w.Intercom = i;
}

function loadWidget(url) {
	if (widgetRequested) return;
	widgetRequested = true;
	const s = document.createElement("script");
	s.async = true;
	s.src = url;
	s.setAttribute("data-cfasync", "false");
	if (config.nonce) s.setAttribute("nonce", config.nonce);
	(document.head || document.documentElement).appendChild(s);
}

/** The identity in a settings object: user_id, or the user_id inside the JWT, or "" for a visitor. */
function identityOf(settings) {
	if (settings.user_id) return String(settings.user_id);
	const jwt = settings.intercom_user_jwt;
	if (typeof jwt === "string") {
		try {
			const part = jwt.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
			return String(JSON.parse(atob(part)).user_id || "");
		} catch {
			return "";
		}
	}
	return "";
}

async function fetchJson(path, init) {
	const res = await fetch(config.basePath + path, {
		credentials: "same-origin",
		cache: "no-store",
		...init,
		headers: { accept: "application/json", ...init?.headers },
	});
	const body = await res.json().catch(() => null);
	if (!res.ok) {
		const message = body?.error ? body.error.message : `HTTP ${res.status}`;
		throw new Error(`[intercom-bridge] ${path}: ${message}`);
	}
	return body;
}

/** Ends the Messenger session (sign-out, consent revoked): Intercom clears its cookies. */
export function shutdown() {
	if (typeof window.Intercom === "function" && booted !== null) window.Intercom("shutdown");
	booted = null;
}

/**
 * Fetches the visitor's settings and boots, updates or re-boots the Messenger to match: a new
 * identity gets `shutdown` then `boot`, the same identity an `update`, a disabled one a shutdown.
 * @returns the settings endpoint's answer.
 */
export async function refresh() {
	const answer = await fetchJson("/messenger/settings");
	if (!answer?.enabled) {
		shutdown();
		return answer;
	}
	ensureStub();
	const settings = answer.settings;
	const identity = identityOf(settings);
	window.intercomSettings = settings;
	if (!widgetRequested) {
		// The widget boots itself from window.intercomSettings when it loads.
		loadWidget(answer.widgetUrl);
	} else if (booted !== null && booted === identity) {
		window.Intercom("update", settings);
	} else {
		if (booted !== null) window.Intercom("shutdown");
		window.Intercom("boot", settings);
	}
	booted = identity;
	return answer;
}

/**
 * Starts the module: remembers options and boots from the settings endpoint.
 * @param {{ basePath?: string, nonce?: string }} [options]
 */
export async function start(options) {
	config = { ...config, ...(options || {}) };
	ensureStub();
	return refresh();
}

async function consent(code, action) {
	const body = await fetchJson(`/consents/${encodeURIComponent(code)}/${action}`, { method: "POST" });
	if (body.shutdown) shutdown();
	await refresh();
	return body;
}

/** Agrees to a consent for the current visitor, then refreshes the Messenger. */
export function agree(code) {
	return consent(code, "agree");
}

/** Revokes a consent; shuts the Messenger down when that consent gated it or its data. */
export function revoke(code) {
	return consent(code, "revoke");
}

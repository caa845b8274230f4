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
 * own snippet. In JWT mode a page that stays open gets a fresh `intercom_user_jwt` before the one
 * it has expires (see scheduleTokenRefresh).
 */

let config = { basePath: "/intercom", nonce: null };
/** Identity the Messenger was booted with: null = not booted. */
let booted = null;
/** The `intercom_user_jwt` the Messenger was booted with, if any. */
let bootedJwt = null;
let widgetRequested = false;
/** The pending token refresh: its timer, and when (Date.now()) the token must be replaced. */
let tokenTimer = null;
let tokenDeadline = null;
let watchingVisibility = false;
/** A refetch that failed is tried again after this long, while the page stays open. */
const TOKEN_RETRY_MS = 10_000;

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

/** The claims of a JWT (not verified: the server signed it, Intercom checks it), or null. */
function claimsOf(jwt) {
	if (typeof jwt !== "string") return null;
	try {
		const part = jwt.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
		const claims = JSON.parse(atob(part));
		return claims && typeof claims === "object" ? claims : null;
	} catch {
		return null;
	}
}

/** The identity in a settings object: user_id, or the user_id inside the JWT, or "" for a visitor. */
function identityOf(settings) {
	if (settings.user_id) return String(settings.user_id);
	return String(claimsOf(settings.intercom_user_jwt)?.user_id || "");
}

function clearTokenRefresh() {
	if (tokenTimer !== null) clearTimeout(tokenTimer);
	tokenTimer = null;
	tokenDeadline = null;
}

/** Refetches the settings (and so a fresh token); on failure tries again a little later. */
function refreshToken() {
	clearTokenRefresh();
	refresh().catch(() => {
		if (booted === null || tokenTimer !== null) return;
		tokenDeadline = Date.now() + TOKEN_RETRY_MS;
		tokenTimer = setTimeout(refreshToken, TOKEN_RETRY_MS);
	});
}

/**
 * Plans the refetch of a JWT-mode page's settings a margin before its token expires: a fifth of
 * the token's lifetime, at most 5 minutes (so 115 minutes into Intercom's usual 2 hours). The
 * delay is the token's own lifetime (`exp - iat`) counted from now, when the token arrived, so a
 * wrong clock in the browser does not matter. Timers of hidden tabs may fire late (or a laptop
 * sleeps): when the page is shown again past the deadline, it refetches at once. A delay past
 * what setTimeout holds (24.8 days; tokens may live 30) refetches early rather than at once.
 */
function scheduleTokenRefresh(settings) {
	clearTokenRefresh();
	const claims = claimsOf(settings.intercom_user_jwt);
	if (!claims || typeof claims.exp !== "number") return;
	const lifetimeMs =
		typeof claims.iat === "number" ? (claims.exp - claims.iat) * 1000 : claims.exp * 1000 - Date.now();
	const delay = Math.min(2 ** 31 - 1, Math.max(1000, lifetimeMs - Math.min(300_000, lifetimeMs / 5)));
	tokenDeadline = Date.now() + delay;
	tokenTimer = setTimeout(refreshToken, delay);
	if (!watchingVisibility) {
		watchingVisibility = true;
		document.addEventListener("visibilitychange", () => {
			if (document.visibilityState === "visible" && tokenDeadline !== null && Date.now() >= tokenDeadline)
				refreshToken();
		});
	}
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
	clearTokenRefresh();
	if (typeof window.Intercom === "function" && booted !== null) window.Intercom("shutdown");
	booted = null;
	bootedJwt = null;
}

/**
 * Fetches the visitor's settings and boots, updates or re-boots the Messenger to match: a new
 * identity gets `shutdown` then `boot`, the same identity an `update`, a disabled one a shutdown.
 * A new JWT for the same identity gets `boot` again, which is how Intercom takes a fresh token
 * (no shutdown: the visitor's open conversation stays).
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
	const jwt = typeof settings.intercom_user_jwt === "string" ? settings.intercom_user_jwt : null;
	window.intercomSettings = settings;
	if (!widgetRequested) {
		// The widget boots itself from window.intercomSettings when it loads.
		loadWidget(answer.widgetUrl);
	} else if (booted !== null && booted === identity) {
		window.Intercom(jwt !== null && jwt !== bootedJwt ? "boot" : "update", settings);
	} else {
		if (booted !== null) window.Intercom("shutdown");
		window.Intercom("boot", settings);
	}
	booted = identity;
	bootedJwt = jwt;
	scheduleTokenRefresh(settings);
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

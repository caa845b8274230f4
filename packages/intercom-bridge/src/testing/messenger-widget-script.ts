/**
 * The Messenger stand-in served at `{widget}/{app_id}`: a small script that takes over the
 * `window.Intercom` queue of Intercom's loader snippet, boots from `window.intercomSettings` as the
 * real widget does, draws a launcher (fixed bottom-right), and posts every boot and update to the
 * emulator at `api_base`, which verifies the identity and records it. Like the real Messenger it
 * keeps the conversation session in a first-party `intercom-session-{app_id}` cookie (a week),
 * which `shutdown` deletes: without a shutdown on sign-out, the next person at the browser would
 * see the conversations. `window.__intercomEmulator` exposes its state and `settled()` (all pings
 * answered) for tests.
 */

/** JSON for a `<script>`-free JS literal: `<` escaped so no `</script>` can end the file early. */
const literal = (value: unknown) => JSON.stringify(value).replace(/</g, "\\u003c");

/** The widget script for one app; `defaultApiBase` serves when the page sets no `api_base` (US). */
export function messengerWidgetScript(appId: string, defaultApiBase: string): string {
	return `/* Intercom Messenger stand-in (intercom-bridge emulator) */
(function () {
	"use strict";
	var w = window, d = document;
	var APP_ID = ${literal(appId)}, DEFAULT_API_BASE = ${literal(defaultApiBase)};
	if (w.__intercomEmulator) return;
	var state = { booted: false, open: false, settings: null, launcher: null, panel: null, pings: [], results: [], listeners: { show: [], hide: [] } };
	function merge(a, b) { var o = {}, k; for (k in a || {}) o[k] = a[k]; for (k in b || {}) o[k] = b[k]; return o; }
	function remove(el) { if (el && el.parentNode) el.parentNode.removeChild(el); }
	function emit(name) { state.listeners[name].forEach(function (fn) { try { fn(); } catch (e) {} }); }
	function ping(kind) {
		var s = state.settings;
		var base = String(s.api_base || DEFAULT_API_BASE).replace(/\\/+$/, "");
		var p = fetch(base + "/messenger/web/ping", {
			method: "POST",
			headers: { "Content-Type": "application/json" },
			body: JSON.stringify({ kind: kind, app_id: s.app_id, settings: s })
		}).then(function (r) { return r.json(); }).then(function (body) {
			state.results.push(body);
			return body;
		}, function (err) {
			state.results.push({ error: String(err) });
		});
		state.pings.push(p);
		return p;
	}
	function draw() {
		if (state.launcher || state.settings.hide_default_launcher === true) return;
		var b = d.createElement("button");
		b.id = "intercom-emulator-launcher";
		b.type = "button";
		b.setAttribute("aria-label", "Open the Intercom Messenger (emulator)");
		b.textContent = "Chat";
		var st = b.style;
		st.position = "fixed"; st.right = "20px"; st.bottom = "20px"; st.width = "60px"; st.height = "60px";
		st.borderRadius = "50%"; st.border = "none"; st.cursor = "pointer"; st.color = "#fff";
		st.background = state.settings.action_color || "#1f73b7";
		st.zIndex = String(state.settings.z_index || 2147483000);
		b.addEventListener("click", function () { if (state.open) hide(); else show(); });
		(d.body || d.documentElement).appendChild(b);
		state.launcher = b;
	}
	function show() {
		if (!state.booted) return;
		if (!state.panel) {
			var p = d.createElement("div");
			p.id = "intercom-emulator-messenger";
			p.setAttribute("role", "dialog");
			var s = state.settings;
			p.textContent = "Intercom emulator: " + (s.name || s.email || s.user_id || "visitor");
			var st = p.style;
			st.position = "fixed"; st.right = "20px"; st.bottom = "90px"; st.width = "320px"; st.minHeight = "160px";
			st.background = "#fff"; st.border = "1px solid #ccc"; st.borderRadius = "8px"; st.padding = "16px";
			st.zIndex = String(s.z_index || 2147483000);
			(d.body || d.documentElement).appendChild(p);
			state.panel = p;
		}
		state.panel.style.display = "block";
		state.open = true;
		emit("show");
	}
	function hide() {
		if (state.panel) state.panel.style.display = "none";
		state.open = false;
		emit("hide");
	}
	var SESSION = "intercom-session-" + APP_ID;
	function boot(settings) {
		state.settings = merge(w.intercomSettings, settings);
		if (!state.settings.app_id) state.settings.app_id = APP_ID;
		state.booted = true;
		d.cookie = SESSION + "=" + encodeURIComponent(state.settings.user_id || "visitor") + "; path=/; max-age=604800; SameSite=Lax";
		draw();
		return ping("boot");
	}
	function update(attrs) {
		if (!state.booted) return;
		state.settings = merge(state.settings, attrs);
		return ping("update");
	}
	function shutdown() {
		d.cookie = SESSION + "=; path=/; max-age=0";
		remove(state.launcher); remove(state.panel);
		state.launcher = null; state.panel = null; state.booted = false; state.open = false; state.settings = null;
	}
	var commands = {
		boot: boot, update: update, shutdown: shutdown, show: show, hide: hide,
		showMessages: show, showNewMessage: show, showSpace: show,
		onShow: function (fn) { state.listeners.show.push(fn); },
		onHide: function (fn) { state.listeners.hide.push(fn); },
		reattach_activator: function () {}
	};
	function Intercom(command) {
		var fn = commands[command];
		if (typeof fn === "function") return fn.apply(null, Array.prototype.slice.call(arguments, 1));
	}
	var queued = typeof w.Intercom === "function" && w.Intercom.q ? w.Intercom.q : [];
	w.Intercom = Intercom;
	w.__intercomEmulator = { state: state, settled: function () { return Promise.all(state.pings); } };
	var queuedBoot = queued.some(function (args) { return args[0] === "boot"; });
	// The real widget boots itself from intercomSettings once loaded.
	if (!queuedBoot && w.intercomSettings && w.intercomSettings.app_id) boot();
	queued.forEach(function (args) { Intercom.apply(null, Array.prototype.slice.call(args)); });
})();
`;
}

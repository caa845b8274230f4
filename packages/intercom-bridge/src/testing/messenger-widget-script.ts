/**
 * The Messenger stand-in served at `{widget}/{app_id}`: a small script that takes over the
 * `window.Intercom` queue of Intercom's loader snippet, boots from `window.intercomSettings` as the
 * real widget does, draws a launcher (fixed bottom-right), and posts every boot and update to the
 * emulator at `api_base`, which verifies the identity and records it. Like the real Messenger it
 * keeps the conversation session in a first-party `intercom-session-{app_id}` cookie (a week),
 * which `shutdown` deletes: without a shutdown on sign-out, the next person at the browser would
 * see the conversations. `window.__intercomEmulator` exposes its state and `settled()` (all pings
 * answered) for tests.
 *
 * Unlike the real widget it tells the developer what Intercom got: a badge on the launcher shows
 * the identity verdict of the last ping (✓ verified by user_hash or JWT, ! failed, ? identified
 * without proof, – anonymous), and the panel says it in words and lists the fields received
 * (proofs only as "(present)"). Everything is drawn with textContent, never as HTML.
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
	var state = { booted: false, open: false, settings: null, launcher: null, panel: null, badge: null, identity: null, pings: [], results: [], listeners: { show: [], hide: [] } };
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
			render();
			return body;
		}, function (err) {
			state.results.push({ error: String(err) });
			render();
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
		var badge = d.createElement("span");
		badge.id = "intercom-emulator-identity-badge";
		badge.setAttribute("aria-hidden", "true");
		var bs = badge.style;
		bs.position = "absolute"; bs.top = "-4px"; bs.right = "-4px"; bs.width = "22px"; bs.height = "22px";
		bs.borderRadius = "50%"; bs.border = "2px solid #fff"; bs.font = "bold 13px/18px system-ui,sans-serif";
		bs.textAlign = "center"; bs.color = "#fff"; bs.background = "#7b8794";
		badge.textContent = "…";
		b.appendChild(badge);
		state.badge = badge;
		var st = b.style;
		st.position = "fixed"; st.right = "20px"; st.bottom = "20px"; st.width = "60px"; st.height = "60px";
		st.borderRadius = "50%"; st.border = "none"; st.cursor = "pointer"; st.color = "#fff";
		st.background = state.settings.action_color || "#1f73b7";
		st.zIndex = String(state.settings.z_index || 2147483000);
		b.addEventListener("click", function () { if (state.open) hide(); else show(); });
		(d.body || d.documentElement).appendChild(b);
		state.launcher = b;
	}
	var COLORS = { verified: "#1a7f37", failed: "#cf222e", absent: "#bf8700", anonymous: "#7b8794" };
	var MARKS = { verified: "\u2713", failed: "!", absent: "?", anonymous: "\u2013" };
	function el(tag, text, css) {
		var e = d.createElement(tag);
		if (text !== undefined) e.textContent = text;
		if (css) for (var k in css) e.style[k] = css[k];
		return e;
	}
	// What the last ping said, in the launcher's badge and the panel: text only, never HTML.
	function render() {
		var last = state.results[state.results.length - 1];
		var verdict = last && last.identity ? last.identity
			: last ? { status: "failed", text: "The emulator did not answer the ping: " + String(last.error || (last.errors && last.errors[0] && last.errors[0].message) || "unknown error") }
			: { status: "anonymous", text: "Waiting for the emulator\u2026" };
		state.identity = verdict;
		if (state.badge) {
			state.badge.textContent = MARKS[verdict.status] || "?";
			state.badge.style.background = COLORS[verdict.status] || "#7b8794";
		}
		if (state.launcher) state.launcher.setAttribute("aria-label", "Open the Intercom Messenger (emulator): " + verdict.text);
		var p = state.panel;
		if (!p) return;
		p.textContent = "";
		var s = state.settings || {};
		p.appendChild(el("strong", "Intercom Messenger (emulator)"));
		p.appendChild(el("p", "Signed in as " + (s.name || s.email || s.user_id || "an anonymous visitor"), { margin: "6px 0" }));
		var v = el("p", verdict.text, { margin: "6px 0", padding: "6px 8px", borderRadius: "6px", color: "#fff", background: COLORS[verdict.status] || "#7b8794" });
		v.id = "intercom-emulator-identity";
		v.setAttribute("data-status", verdict.status);
		p.appendChild(v);
		var received = (last && last.received) || [];
		p.appendChild(el("p", received.length ? "Intercom received these fields:" : "Intercom received no fields.", { margin: "8px 0 4px", fontWeight: "600" }));
		var list = el("dl", undefined, { margin: "0", display: "grid", gridTemplateColumns: "max-content 1fr", gap: "2px 10px" });
		list.id = "intercom-emulator-fields";
		received.forEach(function (f) {
			list.appendChild(el("dt", f.field, { fontFamily: "ui-monospace,monospace", fontSize: "12px" }));
			list.appendChild(el("dd", f.value, { margin: "0", overflowWrap: "anywhere", fontSize: "12px" }));
		});
		p.appendChild(list);
	}
	function show() {
		if (!state.booted) return;
		if (!state.panel) {
			var p = d.createElement("div");
			p.id = "intercom-emulator-messenger";
			p.setAttribute("role", "dialog");
			p.setAttribute("aria-label", "Intercom Messenger (emulator)");
			var s = state.settings;
			var st = p.style;
			st.position = "fixed"; st.right = "20px"; st.bottom = "90px"; st.width = "340px"; st.maxWidth = "calc(100vw - 40px)";
			st.maxHeight = "calc(100vh - 120px)"; st.overflow = "auto"; st.minHeight = "160px"; st.color = "#1f2933";
			st.background = "#fff"; st.border = "1px solid #ccc"; st.borderRadius = "8px"; st.padding = "16px";
			st.font = "14px/1.45 system-ui,sans-serif"; st.boxShadow = "0 6px 24px rgba(0,0,0,.18)";
			st.zIndex = String(s.z_index || 2147483000);
			(d.body || d.documentElement).appendChild(p);
			state.panel = p;
		}
		render();
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
		state.launcher = null; state.panel = null; state.badge = null; state.booted = false; state.open = false; state.settings = null;
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

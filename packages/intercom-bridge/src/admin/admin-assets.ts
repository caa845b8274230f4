/**
 * The console's only static files: one stylesheet and one small script (copy buttons, confirmations,
 * the OAuth return hop). Served from memory under `<basePath>/assets/`, so the CSP can stay at
 * `style-src 'self'` and a nonce on the one script tag, with no inline handlers anywhere.
 */
import { createHash } from "node:crypto";
import { ADMIN_CSS } from "./admin-css.ts";

const ADMIN_JS = `"use strict";
document.addEventListener("click", (event) => {
	const button = event.target instanceof Element ? event.target.closest("[data-copy]") : null;
	if (!button) return;
	const source = document.getElementById(button.getAttribute("data-copy") || "");
	if (!source) return;
	const text = "value" in source ? source.value : source.textContent || "";
	const done = () => {
		const label = button.textContent;
		button.textContent = "Copied";
		button.setAttribute("aria-live", "polite");
		setTimeout(() => { button.textContent = label; }, 1500);
	};
	if (navigator.clipboard && window.isSecureContext) {
		navigator.clipboard.writeText(text).then(done, () => selectText(source));
	} else {
		selectText(source);
	}
});
function selectText(el) {
	if ("select" in el) { el.select(); return; }
	const range = document.createRange();
	range.selectNodeContents(el);
	const sel = window.getSelection();
	if (sel) { sel.removeAllRanges(); sel.addRange(range); }
}
document.addEventListener("submit", (event) => {
	const form = event.target;
	const submitter = event.submitter;
	const message = (submitter && submitter.getAttribute("data-confirm")) || (form instanceof Element && form.getAttribute("data-confirm"));
	if (message && !window.confirm(message)) event.preventDefault();
});
document.addEventListener("DOMContentLoaded", () => {
	const hop = document.querySelector("a[data-auto-continue]");
	if (hop) window.location.replace(hop.href);
});
`;

const version = (text: string) => createHash("sha256").update(text).digest("hex").slice(0, 10);

/** The static files by name, with a content hash for cache busting. */
export const ADMIN_ASSETS = {
	"admin.css": { body: ADMIN_CSS, type: "text/css; charset=utf-8", version: version(ADMIN_CSS) },
	"admin.js": { body: ADMIN_JS, type: "text/javascript; charset=utf-8", version: version(ADMIN_JS) },
} as const;

export type AdminAssetName = keyof typeof ADMIN_ASSETS;

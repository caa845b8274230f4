/** A value shown in full with a Copy button (admin.js copies it; without script it can be selected). */
import { html } from "hono/html";
import type { Markup } from "./layout.ts";

/** Renders `value` in a code box with id `id` and a Copy button labelled for screen readers. */
export function copyable(id: string, value: string, label: string): Markup {
	return html`<div class="copyable"><code id="${id}">${value}</code><button class="btn small" type="button" data-copy="${id}" aria-label="${label}">Copy</button></div>`;
}

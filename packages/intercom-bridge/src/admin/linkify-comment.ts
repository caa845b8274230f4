/**
 * Renders an activity comment (webhook-sourced text) with its Intercom conversation links
 * clickable. Only `http(s)` URLs on an Intercom app host become links; everything else, including
 * `javascript:` and look-alike hosts, stays escaped text (docs/reliability.md A10).
 */
import { html } from "hono/html";
import type { Markup } from "./layout.ts";

const URL_PATTERN = /https?:\/\/[^\s<>"']+/g;

/** The parts of `text`: plain strings and links whose host is one of `hosts`. */
export function splitLinks(
	text: string,
	hosts: ReadonlySet<string>,
): ({ text: string } | { href: string })[] {
	const parts: ({ text: string } | { href: string })[] = [];
	let last = 0;
	for (const match of text.matchAll(URL_PATTERN)) {
		const start = match.index ?? 0;
		const candidate = match[0];
		let link: URL | null = null;
		try {
			link = new URL(candidate);
		} catch {
			link = null;
		}
		if (!link || !/^https?:$/.test(link.protocol) || !hosts.has(link.host) || link.username || link.password)
			continue;
		if (start > last) parts.push({ text: text.slice(last, start) });
		parts.push({ href: link.href });
		last = start + candidate.length;
	}
	if (last < text.length) parts.push({ text: text.slice(last) });
	return parts;
}

const CONVERSATION_PATH = /\/inbox\/inbox\/conversation\/([^/?#]+)\/?$/;

/** What a link reads as: "Conversation #id" for an inbox conversation link, else the URL itself. */
export function linkLabel(href: string): string {
	const id = CONVERSATION_PATH.exec(new URL(href).pathname)?.[1];
	if (!id) return href;
	try {
		return `Conversation #${decodeURIComponent(id)}`;
	} catch {
		return href;
	}
}

/**
 * The comment as markup. Links read "Conversation #id" (the URL in their title) and open in a new
 * tab without giving Intercom a handle to this page.
 */
export function linkifyComment(text: string, hosts: ReadonlySet<string>): Markup {
	return html`${splitLinks(text, hosts).map((p) =>
		"href" in p
			? html`<a href="${p.href}" title="${p.href}" target="_blank" rel="noopener noreferrer">${linkLabel(p.href)}</a>`
			: p.text,
	)}`;
}

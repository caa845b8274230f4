import { describe, expect, it } from "vitest";
import { linkifyComment, linkLabel } from "./linkify-comment.ts";

const hosts = new Set(["app.intercom.com", "127.0.0.1:3001"]);

describe("linkifyComment", () => {
	it("shows inbox links as Conversation #id, opening in a new tab without an opener", async () => {
		const markup = String(
			await linkifyComment(
				"https://app.intercom.com/a/apps/abc/inbox/inbox/conversation/215\nhttp://127.0.0.1:3001/us/app/a/apps/x/inbox/inbox/conversation/1000000002",
				hosts,
			),
		);
		expect(markup).toContain(
			'<a href="https://app.intercom.com/a/apps/abc/inbox/inbox/conversation/215" title="https://app.intercom.com/a/apps/abc/inbox/inbox/conversation/215" target="_blank" rel="noopener noreferrer">Conversation #215</a>',
		);
		expect(markup).toContain(">Conversation #1000000002</a>");
	});

	it("keeps other links as their URL and escapes the rest of the comment", async () => {
		const markup = String(
			await linkifyComment('<b>x</b> https://app.intercom.com/a/apps/abc/settings "q"', hosts),
		);
		expect(markup).toContain("&lt;b&gt;x&lt;/b&gt;");
		expect(markup).toContain(">https://app.intercom.com/a/apps/abc/settings</a>");
		expect(linkLabel("https://app.intercom.com/a/apps/abc/inbox/inbox/conversation/%E0%A4%A")).toBe(
			"https://app.intercom.com/a/apps/abc/inbox/inbox/conversation/%E0%A4%A",
		);
		expect(linkLabel("https://app.intercom.com/a/apps/abc/inbox/inbox/conversation/%3Cb%3E")).toBe(
			"Conversation #<b>",
		);
	});
});

import { describe, expect, it } from "vitest";
import { readWebhookBody } from "./read-webhook-body.ts";
import { WebhookHttpError } from "./webhook-http-error.ts";

/** A request whose body is streamed, with a Content-Length header that may not match it. */
const streamed = (body: string, contentLength?: string) => {
	const bytes = new TextEncoder().encode(body);
	const stream = new ReadableStream<Uint8Array>({
		start(controller) {
			controller.enqueue(bytes);
			controller.close();
		},
	});
	const headers = new Headers({ "content-type": "application/json" });
	// Fetch's Request forbids setting Content-Length; a server's Request view carries the client's.
	const request = new Request("http://shop.example.com/intercom/updatecontact", {
		method: "POST",
		body: stream,
		duplex: "half",
	} as RequestInit);
	if (contentLength !== undefined) headers.set("content-length", contentLength);
	return new Proxy(request, {
		get: (target, key) => (key === "headers" ? headers : Reflect.get(target, key, target)),
	});
};

describe("readWebhookBody", () => {
	it("answers a Content-Length that does not match the body with 400 (docs/reliability.md W7)", async () => {
		for (const declared of ["5", "500"]) {
			const err = await readWebhookBody(streamed('{"a":1,"b":2}', declared), 64 * 1024).catch(
				(e: unknown) => e,
			);
			expect(err).toBeInstanceOf(WebhookHttpError);
			expect(err).toMatchObject({ status: 400 });
			expect((err as Error).message).toContain(`Content-Length says ${declared} bytes but the body has 13.`);
		}
	});

	it("reads a body whose Content-Length matches, or that has none (chunked)", async () => {
		expect((await readWebhookBody(streamed('{"a":1,"b":2}', "13"), 64 * 1024)).text).toBe('{"a":1,"b":2}');
		expect((await readWebhookBody(streamed('{"a":1}'), 64 * 1024)).text).toBe('{"a":1}');
	});

	it("refuses a declared length over the limit before reading, with 413", async () => {
		const err = await readWebhookBody(streamed("{}", "70000"), 64 * 1024).catch((e: unknown) => e);
		expect(err).toMatchObject({ status: 413 });
	});
});

import { describe, expect, it } from "vitest";
import { createTestBridge } from "../../test/harness/test-bridge.ts";
import { toNextHandler } from "./next.ts";

describe("toNextHandler", () => {
	const unauthenticated = () =>
		new Request("http://shop.example.com/intercom/updatecontact", {
			method: "POST",
			headers: { "content-type": "application/json" },
			body: "{}",
		});

	it("passes the address from options.clientAddress, so the per-address limits apply", async () => {
		const { bridge, store } = await createTestBridge({ webhooks: { rateLimit: { failuresPerMinute: 1 } } });
		try {
			const { POST } = toNextHandler(bridge, { clientAddress: () => "192.0.2.5" });
			expect((await POST(unauthenticated())).status).toBe(401);
			expect((await POST(unauthenticated())).status).toBe(429);
		} finally {
			await store.close();
		}
	});

	it("applies no per-address limit without an address", async () => {
		const { bridge, store } = await createTestBridge({ webhooks: { rateLimit: { failuresPerMinute: 1 } } });
		try {
			const { POST } = toNextHandler(bridge);
			for (let i = 0; i < 3; i++) expect((await POST(unauthenticated())).status).toBe(401);
		} finally {
			await store.close();
		}
	});
});

import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { addressKey, clientAddress, connectionOf } from "./client-address.ts";

describe("addressKey", () => {
	it.each([
		["203.0.113.9", "203.0.113.9"],
		["::ffff:203.0.113.9", "203.0.113.9"],
		["2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"],
		["2001:0db8:0001:0002:ffff::1", "2001:db8:1:2::/64"],
		["2001:db8::1", "2001:db8:0:0::/64"],
		["::1", "0:0:0:0::/64"],
		["fe80::1%eth0", "fe80:0:0:0::/64"],
		["not an address", "not an address"],
		["1::2::3", "1::2::3"],
	])("%s counts as %s", (address, key) => {
		expect(addressKey(address)).toBe(key);
	});

	it("gives one key to every address of a /64", () => {
		expect(addressKey("2001:db8:aa:bb:1::1")).toBe(addressKey("2001:db8:aa:bb:ffff:ffff:ffff:ffff"));
		expect(addressKey("2001:db8:aa:bb::1")).not.toBe(addressKey("2001:db8:aa:bc::1"));
	});
});

describe("clientAddress", () => {
	const app = (trustProxy: boolean) =>
		new Hono().get("/", (c) => c.json({ address: clientAddress(c, trustProxy) }));
	const ask = async (trustProxy: boolean, headers: Record<string, string>, env?: unknown) =>
		((await (await app(trustProxy).request("/", { headers }, env)).json()) as { address: string | null })
			.address;

	it("takes the connection's address from the adapter, or from @hono/node-server's request", async () => {
		expect(await ask(false, {}, { clientAddress: "198.51.100.7" })).toBe("198.51.100.7");
		expect(await ask(false, {}, { incoming: { socket: { remoteAddress: "198.51.100.8" } } })).toBe(
			"198.51.100.8",
		);
		expect(await ask(false, {})).toBeNull();
	});

	it("believes X-Forwarded-For (its last entry, which our proxy appended) only with trustProxy", async () => {
		const headers = { "x-forwarded-for": "1.1.1.1, 203.0.113.9" };
		expect(await ask(false, headers, { clientAddress: "10.0.0.2" })).toBe("10.0.0.2");
		expect(await ask(true, headers, { clientAddress: "10.0.0.2" })).toBe("203.0.113.9");
		expect(await ask(true, {}, { clientAddress: "10.0.0.2" })).toBe("10.0.0.2");
	});

	it("reads nothing from an env without connection facts", () => {
		expect(connectionOf(undefined)).toEqual({ clientAddress: null });
		expect(connectionOf({ incoming: {} })).toEqual({ clientAddress: null });
	});
});

import { describe, expect, it } from "vitest";
import { isLoopbackHost } from "./request-info.ts";

describe("isLoopbackHost", () => {
	it.each([
		"localhost",
		"LOCALHOST:3000",
		"localhost.",
		"127.0.0.1",
		"127.0.0.1:8080",
		"127.255.255.254",
		"127.1.2.3:1",
		"[::1]",
		"[::1]:3000",
		"::1",
		"[0:0:0:0:0:0:0:1]:80",
		"[::ffff:127.0.0.1]:3000",
	])("%s is loopback", (host) => {
		expect(isLoopbackHost(host)).toBe(true);
	});

	it.each([
		"admin.example.com",
		"128.0.0.1",
		"10.0.0.1:3000",
		"126.255.255.255",
		"127.0.0.256",
		"127.0.0.1.example.com",
		"localhost.example.com",
		"mylocalhost",
		"[::2]",
		"[::ffff:10.0.0.1]",
		"0.0.0.0",
		"",
	])("%s is not loopback", (host) => {
		expect(isLoopbackHost(host)).toBe(false);
	});
});

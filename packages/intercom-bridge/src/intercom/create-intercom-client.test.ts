import { describe, expect, it } from "vitest";
import { ConfigError, IntercomApiError, IntercomAuthError } from "../errors.ts";
import type { Logger } from "../logger.ts";
import { createIntercomClient } from "./create-intercom-client.ts";
import type { IntercomEndpoints } from "./endpoints.ts";
import { contact, errorList, fakeClock, json, scriptedFetch } from "./scripted-fetch.test-support.ts";

const TOKEN = "tok_secret_abc123";
const admin = { type: "admin", id: "1", email: "a@example.com", app: { id_code: "abc123", region: "EU" } };

describe("createIntercomClient: requests", () => {
	it("sends the bearer token, Intercom-Version 2.16 and JSON headers", async () => {
		const { fetch, calls } = scriptedFetch(() => json(200, admin));
		const client = createIntercomClient({ token: TOKEN, fetch });
		const me = await client.me();
		expect(me.app?.id_code).toBe("abc123");
		const [call] = calls;
		expect(call?.url.href).toBe("https://api.intercom.io/me");
		expect(call?.headers.get("authorization")).toBe(`Bearer ${TOKEN}`);
		expect(call?.headers.get("intercom-version")).toBe("2.16");
		expect(call?.headers.get("accept")).toBe("application/json");
	});

	it("sends a configured version, and Content-Type with a body", async () => {
		const { fetch, calls } = scriptedFetch(() => json(200, contact("c1")));
		const client = createIntercomClient({ token: TOKEN, fetch, version: "2.15" });
		await client.contacts.create({ email: "ada@example.com" });
		expect(calls[0]?.headers.get("intercom-version")).toBe("2.15");
		expect(calls[0]?.headers.get("content-type")).toBe("application/json");
		expect(calls[0]?.body).toEqual({ email: "ada@example.com" });
	});

	it.each([
		["eu", "https://api.eu.intercom.io"],
		["au", "https://api.au.intercom.io"],
		["us", "https://api.intercom.io"],
	] as const)("region %s calls %s only", async (region, origin) => {
		const { fetch, calls } = scriptedFetch(() => json(200, admin));
		const client = createIntercomClient({ token: TOKEN, region, fetch });
		await client.me();
		await client.contacts.findByExternalId("g1").catch(() => null);
		expect(calls.map((c) => c.url.origin)).toEqual([origin, origin]);
	});

	it("uses overriding endpoints (the emulator's) instead of the region's hosts", async () => {
		const endpoints: IntercomEndpoints = {
			api: "http://127.0.0.1:4010/eu",
			messenger: "http://127.0.0.1:4010/eu-iam",
			app: "http://127.0.0.1:4010/eu-app",
			widget: "http://127.0.0.1:4010/widget",
		};
		const { fetch, calls } = scriptedFetch(() => json(200, admin));
		await createIntercomClient({ token: TOKEN, region: "eu", endpoints, fetch }).me();
		expect(calls[0]?.url.href).toBe("http://127.0.0.1:4010/eu/me");
	});

	it("refuses a missing token with a ConfigError", () => {
		expect(() => createIntercomClient({ token: " " })).toThrow(ConfigError);
	});
});

describe("createIntercomClient: errors", () => {
	it("turns a 401 into an IntercomAuthError with code and request id, without the token", async () => {
		const { fetch } = scriptedFetch(() => errorList(401, "unauthorized", "Access Token Invalid"));
		const err = await createIntercomClient({ token: TOKEN, fetch })
			.me()
			.catch((e: unknown) => e);
		expect(err).toBeInstanceOf(IntercomAuthError);
		expect(err).toMatchObject({ httpStatus: 401, intercomCode: "unauthorized", requestId: "req-1234" });
		expect(String((err as Error).message)).toContain("reconnect");
		expect(String((err as Error).message)).not.toContain(TOKEN);
	});

	it("treats a token_revoked code as an auth error too", async () => {
		const { fetch } = scriptedFetch(() => errorList(403, "token_revoked", "Token revoked"));
		const err = await createIntercomClient({ token: TOKEN, fetch })
			.contacts.get("c1")
			.catch((e: unknown) => e);
		expect(err).toBeInstanceOf(IntercomAuthError);
	});

	it("gives other errors as IntercomApiError with status, code, message and request id", async () => {
		const { fetch } = scriptedFetch(() => errorList(404, "not_found", "Resource Not Found"));
		const err = await createIntercomClient({ token: TOKEN, fetch })
			.contacts.get("c1")
			.catch((e: unknown) => e);
		expect(err).toBeInstanceOf(IntercomApiError);
		expect(err).not.toBeInstanceOf(IntercomAuthError);
		expect(err).toMatchObject({ httpStatus: 404, intercomCode: "not_found", requestId: "req-1234" });
		expect((err as Error).message).toContain("Resource Not Found");
	});

	it("reports a 200 whose body is not JSON", async () => {
		const { fetch } = scriptedFetch(() => new Response("{not json", { status: 200 }));
		const err = await createIntercomClient({ token: TOKEN, fetch, maxRetries: 0 })
			.me()
			.catch((e: unknown) => e);
		expect(err).toBeInstanceOf(IntercomApiError);
		expect((err as Error).message).toContain("not valid JSON");
	});

	it("never hands the token to the logger", async () => {
		const lines: unknown[] = [];
		const record = (...args: unknown[]) => {
			lines.push(args);
		};
		const logger = { debug: record, info: record, warn: record, error: record, child: () => logger };
		const clock = fakeClock();
		const { fetch } = scriptedFetch((_, i) =>
			i === 0 ? errorList(503, "service_unavailable", "x") : json(200, admin),
		);
		const client = createIntercomClient({
			token: TOKEN,
			fetch,
			...clock,
			logger: logger as unknown as Logger,
		});
		await client.me();
		expect(lines.length).toBeGreaterThan(1);
		expect(JSON.stringify(lines)).not.toContain(TOKEN);
	});
});

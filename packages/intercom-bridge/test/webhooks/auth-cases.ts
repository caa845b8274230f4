/** Authentication cases: API key headers, rotation grace, signatures over raw bytes, no downgrade. */
import { describe, expect, it } from "vitest";
import type { WebhookEnv } from "./webhook-env.ts";
import { CLIENT_SECRET, type SendOptions, sign } from "./webhook-testbed.ts";

export function authCases(env: () => WebhookEnv) {
	describe("authentication", () => {
		const body = () => ({ ContactGUID: "5f0c1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b" });
		// An authenticated request for an unknown contact answers 404; a refused one 401.
		const table: Array<[string, () => SendOptions, number]> = [
			["the API key in X-Api-Key", () => ({ auth: "key" }), 404],
			["the API key as a Bearer token", () => ({ auth: "bearer" }), 404],
			["the API key in the reference's XperienceApiKey header", () => ({ auth: "xperience" }), 404],
			["a lowercase signature", () => ({ auth: "sign" }), 404],
			["no credentials", () => ({ auth: "none" }), 401],
			["a wrong API key", () => ({ auth: "none", headers: { "x-api-key": "wrong-key-wrong-key" } }), 401],
			[
				"the API key in the query string only",
				() => ({ auth: "none", query: `?apikey=${env().apiKey}` }),
				401,
			],
			[
				"Basic instead of Bearer",
				() => ({ auth: "none", headers: { authorization: `Basic ${env().apiKey}` } }),
				401,
			],
		];
		it.each(table)("with %s answers %i", async (_name, options, status) => {
			const res = await env().send("/updatecontact", { body: body(), ...options() });
			expect(res.status).toBe(status);
			if (status === 401) {
				const json = (await res.json()) as { error: { code: string; message: string } };
				expect(json.error.code).toBe("UNAUTHORIZED");
				expect(JSON.stringify(json)).not.toContain(env().apiKey);
			}
		});

		it("accepts signatures made with a replaced client secret for the grace period only", async () => {
			const { store, site } = env();
			await store.setSetting(site.id, "clientSecret", "rotated-client-secret-0123");
			try {
				// Signed with the secret just replaced: Intercom has not switched yet.
				expect((await env().send("/updatecontact", { body: body(), auth: "sign" })).status).toBe(404);
				const later = await env().with({ dedupWindowMs: 0 }, { now: () => Date.now() + 25 * 3_600_000 });
				expect((await later("/updatecontact", { body: body(), auth: "sign" })).status).toBe(401);
			} finally {
				await store.setSetting(site.id, "clientSecret", CLIENT_SECRET);
			}
		});

		describe("limits per client address", () => {
			const clock = { t: Date.parse("2026-11-26T10:00:00Z") };
			const limited = (rateLimit: { failuresPerMinute?: number; requestsPerSecond?: number }) =>
				env().with({ dedupWindowMs: 0, rateLimit }, { now: () => clock.t, clientAddress: "192.0.2.10" });
			const refusal = async (res: Response) => ({
				status: res.status,
				retryAfter: res.headers.get("retry-after"),
				error: ((await res.json()) as { error: { code: string; message: string } }).error,
			});

			it("applies no limit where the client address is unknown (one shared bucket would let a flood shut Intercom out)", async (ctx) => {
				if (env().target.knowsClientAddress !== false) ctx.skip();
				const send = await limited({ failuresPerMinute: 1, requestsPerSecond: 1 });
				for (let i = 0; i < 5; i++)
					expect((await send("/updatecontact", { body: body(), auth: "none" })).status).toBe(401);
			});

			it("answers 429 to every request of an address past its failed authentications, until its budget refills", async (ctx) => {
				if (env().target.knowsClientAddress === false) ctx.skip();
				const send = await limited({ failuresPerMinute: 3 });
				for (let i = 0; i < 3; i++)
					expect((await send("/updatecontact", { body: body(), auth: "none" })).status).toBe(401);
				expect(await refusal(await send("/updatecontact", { body: body(), auth: "none" }))).toEqual({
					status: 429,
					retryAfter: "20",
					error: {
						code: "RATE_LIMITED",
						message: "Too many failed authentications from your address; retry after 20 s.",
					},
				});
				// The right key waits too: the address is shut out, not the credentials.
				expect((await send("/updatecontact", { body: body(), auth: "key" })).status).toBe(429);
				expect((await send("/logactivity", { body: body(), auth: "key" })).status).toBe(429);
				clock.t += 20_000; // one failure's worth refilled
				expect((await send("/updatecontact", { body: body(), auth: "key" })).status).toBe(404);
				expect((await send("/updatecontact", { body: body(), auth: "none" })).status).toBe(401);
				expect((await send("/updatecontact", { body: body(), auth: "key" })).status).toBe(429);
			});

			it("does not count authenticated requests against the failure budget", async () => {
				const send = await limited({ failuresPerMinute: 2 });
				for (let i = 0; i < 30; i++)
					expect((await send("/updatecontact", { body: body(), auth: "key" })).status).toBe(404);
			});

			it("caps all requests of an address with requestsPerSecond, in bursts of twice as many", async (ctx) => {
				if (env().target.knowsClientAddress === false) ctx.skip();
				const send = await limited({ requestsPerSecond: 2 });
				const statuses: number[] = [];
				for (let i = 0; i < 6; i++)
					statuses.push((await send("/updatecontact", { body: body(), auth: "key" })).status);
				expect(statuses).toEqual([404, 404, 404, 404, 429, 429]);
				const res = await refusal(await send("/updatecontact", { body: body(), auth: "key" }));
				expect(res).toMatchObject({ status: 429, retryAfter: "1", error: { code: "RATE_LIMITED" } });
				expect(res.error.message).toBe("More than 2 requests per second from your address; retry after 1 s.");
				clock.t += 1000;
				expect((await send("/updatecontact", { body: body(), auth: "key" })).status).toBe(404);
			});
		});

		it("verifies the signature over the raw bytes, in either hex case, and never falls back to the key", async () => {
			const { send } = env();
			const raw = `{ "ContactGUID" :"5f0c1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b",  "ContactFirstName":"José 🙂" }`;
			const good = sign(raw);
			const upper = `sha1=${good.slice(5).toUpperCase()}`;
			const cases: Array<[string, string, Record<string, string>, number]> = [
				["lowercase", raw, { "x-hub-signature": good }, 404],
				["uppercase", raw, { "x-hub-signature": upper }, 404],
				["re-serialised body", JSON.stringify(JSON.parse(raw)), { "x-hub-signature": good }, 401],
				["sha256= prefix", raw, { "x-hub-signature": good.replace("sha1=", "sha256=") }, 401],
				["39 hex digits", raw, { "x-hub-signature": good.slice(0, -1) }, 401],
				["a non-hex digit", raw, { "x-hub-signature": `${good.slice(0, -1)}g` }, 401],
				["two values", raw, { "x-hub-signature": `${good}, ${good}` }, 401],
				[
					"a wrong signature plus a valid key",
					raw,
					{ "x-hub-signature": sign(raw, "other"), "x-api-key": env().apiKey },
					401,
				],
			];
			for (const [name, text, headers, status] of cases) {
				const res = await send("/updatecontact", { body: text, auth: "none", headers });
				expect(res.status, name).toBe(status);
			}
		});

		it("fails closed when the site has no client secret", async () => {
			const { store, site, send } = env();
			await store.clearSetting(site.id, "clientSecret");
			try {
				const res = await send("/updatecontact", { body: body(), auth: "sign" });
				expect(res.status).toBe(401);
			} finally {
				await store.setSetting(site.id, "clientSecret", CLIENT_SECRET);
			}
		});

		it("accepts the previous key during the grace period only", async () => {
			const { store, site } = env();
			const old = (await store.getSettings(site.id)).webhookApiKey ?? "";
			const fresh = await store.rotateWebhookApiKey(site.id);
			const rotatedAt =
				(await store.getSettings(site.id)).previousWebhookApiKeys[0]?.replacedAt.getTime() ?? 0;
			let clock = rotatedAt + 60_000;
			const send = await env().with(
				{ dedupWindowMs: 0, apiKeyGracePeriodMs: 3_600_000 },
				{ now: () => clock },
			);
			const withKey = (key: string) =>
				send("/updatecontact", { body: body(), auth: "none", headers: { "x-api-key": key } });
			expect((await withKey(old)).status).toBe(404);
			expect((await withKey(fresh)).status).toBe(404);
			clock = rotatedAt + 3_600_001;
			expect((await withKey(old)).status).toBe(401);
			expect((await withKey(fresh)).status).toBe(404);
		});

		it("keeps accepting a key replaced twice within the grace period, and refuses it after", async () => {
			const { store, site } = env();
			const old = (await store.getSettings(site.id)).webhookApiKey ?? "";
			const middle = await store.rotateWebhookApiKey(site.id);
			const fresh = await store.rotateWebhookApiKey(site.id);
			const until = Date.now();
			let clock = until + 60_000;
			const send = await env().with(
				{ dedupWindowMs: 0, apiKeyGracePeriodMs: 3_600_000 },
				{ now: () => clock },
			);
			const withKey = (key: string) =>
				send("/updatecontact", { body: body(), auth: "none", headers: { "x-api-key": key } });
			for (const key of [old, middle, fresh]) expect((await withKey(key)).status).toBe(404);
			clock = until + 3_600_001;
			expect((await withKey(old)).status).toBe(401);
			expect((await withKey(middle)).status).toBe(401);
			expect((await withKey(fresh)).status).toBe(404);
		});

		it("answers 404 for a site where Intercom is disabled, before looking at credentials", async () => {
			const { store, site, send } = env();
			await store.setSetting(site.id, "enabled", "false");
			try {
				for (const path of ["/updatecontact", "/logactivity", "/webhooks"]) {
					const res = await send(path, { body: body(), auth: "none" });
					expect(res.status).toBe(404);
				}
			} finally {
				await store.setSetting(site.id, "enabled", "true");
			}
		});
	});
}

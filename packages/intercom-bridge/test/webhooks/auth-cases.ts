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
			const rotatedAt = (await store.getSettings(site.id)).previousWebhookApiKey?.rotatedAt.getTime() ?? 0;
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

import { createHmac } from "node:crypto";
import { jwtVerify, SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { identityVerdict, receivedFields, verifyBootIdentity, verifyHs256 } from "./messenger-identity.ts";

const SECRET = "emulator-identity-secret-0123456789";
const NOW_MS = Date.UTC(2026, 10, 1, 12, 0, 0);
const NOW = Math.floor(NOW_MS / 1000);
const key = (s: string) => new TextEncoder().encode(s);

const sign = (claims: Record<string, unknown>, secret = SECRET, alg = "HS256") =>
	new SignJWT(claims).setProtectedHeader({ alg }).sign(key(secret));

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
function handMade(header: unknown, payload: unknown, secret = SECRET): string {
	const input = `${b64(header)}.${b64(payload)}`;
	return `${input}.${createHmac("sha256", secret).update(input).digest("base64url")}`;
}

/** Tokens the emulator must judge as jose does (jose is the reference, a dev dependency only). */
async function cases(): Promise<[string, string][]> {
	const valid = await sign({ user_id: "u-1", email: "ada@example.com", exp: NOW + 60 });
	const [h, p, s] = valid.split(".");
	const otherPayload = b64({ user_id: "someone-else", exp: NOW + 60 });
	return [
		["valid", valid],
		["valid without exp", await sign({ user_id: "u-1" })],
		["expired", await sign({ user_id: "u-1", exp: NOW - 1 })],
		["expiring this second", await sign({ user_id: "u-1", exp: NOW })],
		["not valid yet", await sign({ user_id: "u-1", nbf: NOW + 30 })],
		["valid from now", await sign({ user_id: "u-1", nbf: NOW })],
		["wrong secret", await sign({ user_id: "u-1" }, "another-secret-0123456789")],
		["HS512", await sign({ user_id: "u-1" }, SECRET, "HS512")],
		["alg none", `${b64({ alg: "none" })}.${p}.`],
		["payload swapped", `${h}.${otherPayload}.${s}`],
		["signature cut", `${h}.${p}.${s?.slice(0, -2)}`],
		["two parts", `${h}.${p}`],
		["exp as text", handMade({ alg: "HS256" }, { user_id: "u-1", exp: `${NOW + 60}` })],
		["payload not an object", handMade({ alg: "HS256" }, ["u-1"])],
		["crit header", handMade({ alg: "HS256", crit: ["x"], x: 1 }, { user_id: "u-1" })],
		["junk", "a.b.c"],
	];
}

describe("the emulator's HS256 check", () => {
	it("accepts and refuses the same tokens as jose", async () => {
		for (const [name, token] of await cases()) {
			const byJose = await jwtVerify(token, key(SECRET), {
				algorithms: ["HS256"],
				currentDate: new Date(NOW_MS),
			}).then(
				(r) => r.payload as Record<string, unknown>,
				() => null,
			);
			let ours: Record<string, unknown> | null;
			try {
				ours = verifyHs256(token, SECRET, NOW_MS);
			} catch {
				ours = null;
			}
			expect(ours, name).toEqual(byJose);
		}
	});

	it("verifies a boot's JWT claims and says why one is refused", async () => {
		const ok = await verifyBootIdentity(
			{ intercom_user_jwt: await sign({ user_id: "u-1", name: "Ada", exp: NOW + 60 }) },
			SECRET,
			NOW_MS,
		);
		expect(ok).toMatchObject({ userId: "u-1", name: "Ada", method: "jwt", verified: true });
		const expired = await verifyBootIdentity(
			{ intercom_user_jwt: await sign({ user_id: "u-1", exp: NOW - 5 }), user_id: "u-1" },
			SECRET,
			NOW_MS,
		);
		expect(expired).toMatchObject({
			method: "jwt",
			verified: false,
			error: "JWT rejected: the token has expired (exp)",
		});
		const noUser = await verifyBootIdentity(
			{ intercom_user_jwt: await sign({ email: "a@b.c" }) },
			SECRET,
			NOW_MS,
		);
		expect(noUser).toMatchObject({ verified: false, error: "JWT has no user_id claim" });
	});
});

describe("what the widget stand-in shows", () => {
	const identity = (over: Partial<Parameters<typeof identityVerdict>[0]>) => ({
		userId: "u-1",
		email: undefined,
		name: undefined,
		method: "none" as const,
		verified: false,
		...over,
	});
	it("names the verdict: verified by hash or JWT, failed with the reason, absent, anonymous", () => {
		expect(identityVerdict(identity({ method: "hash", verified: true }), true)).toMatchObject({
			status: "verified",
			text: "Verified with user_hash.",
		});
		expect(identityVerdict(identity({ method: "jwt", verified: true }), true).text).toContain("JWT");
		expect(
			identityVerdict(identity({ method: "hash", error: "user_hash does not match" }), true),
		).toMatchObject({ status: "failed", text: expect.stringContaining("user_hash does not match") });
		expect(identityVerdict(identity({}), true)).toMatchObject({
			status: "absent",
			text: expect.stringContaining("refuses"),
		});
		expect(identityVerdict(identity({ userId: undefined }), false).status).toBe("anonymous");
	});
	it("lists the fields received, proofs only as present", () => {
		expect(
			receivedFields({ user_id: "u-1", user_hash: "abc", intercom_user_jwt: "x.y.z", email: "", n: 3 }),
		).toEqual([
			{ field: "intercom_user_jwt", value: "(present)" },
			{ field: "n", value: "3" },
			{ field: "user_hash", value: "(present)" },
			{ field: "user_id", value: "u-1" },
		]);
	});
});

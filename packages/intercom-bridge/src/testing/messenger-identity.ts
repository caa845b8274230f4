/**
 * Identity verification as the Messenger does it (docs/intercom.md §6): `user_hash` is the
 * lowercase hex HMAC-SHA256 of `user_id` (or the email when there is no user_id) with the app's
 * identity secret; `intercom_user_jwt` is an HS256 JWT with that secret whose `user_id` claim is
 * required. Comparison is exact: an uppercase hash (the C# module's bug) does not verify.
 *
 * The JWT is checked here with node:crypto rather than a JWT library, so that the emulator (and the
 * `fake-intercom` command) add no dependency to the package; its test holds it to jose's verdicts.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

export interface BootIdentity {
	userId: string | undefined;
	email: string | undefined;
	name: string | undefined;
	method: "hash" | "jwt" | "none";
	verified: boolean;
	/** Why verification failed, when it was attempted and failed. */
	error?: string;
}

const str = (v: unknown) => (typeof v === "string" && v !== "" ? v : undefined);

/** Verifies the identity a boot claims. Without a secret nothing can be verified. */
export async function verifyBootIdentity(
	settings: Record<string, unknown>,
	secret: string | undefined,
	nowMs: number,
): Promise<BootIdentity> {
	const jwt = str(settings.intercom_user_jwt);
	if (jwt) {
		if (!secret)
			return { ...plain(settings), method: "jwt", verified: false, error: "the app has no identity secret" };
		try {
			const payload = verifyHs256(jwt, secret, nowMs);
			const userId = str(payload.user_id);
			if (!userId)
				return { ...plain(settings), method: "jwt", verified: false, error: "JWT has no user_id claim" };
			// Signed claims win over the page's settings.
			return {
				userId,
				email: str(payload.email) ?? str(settings.email),
				name: str(payload.name) ?? str(settings.name),
				method: "jwt",
				verified: true,
			};
		} catch (err) {
			return {
				...plain(settings),
				method: "jwt",
				verified: false,
				error: `JWT rejected: ${(err as Error).message}`,
			};
		}
	}
	const hash = str(settings.user_hash);
	const identity = plain(settings);
	if (!hash) return { ...identity, method: "none", verified: false };
	const subject = identity.userId ?? identity.email;
	if (!secret || !subject) {
		return {
			...identity,
			method: "hash",
			verified: false,
			error: secret ? "user_hash without user_id or email" : "the app has no identity secret",
		};
	}
	const expected = Buffer.from(createHmac("sha256", secret).update(subject).digest("hex"));
	const given = Buffer.from(hash);
	const ok = given.length === expected.length && timingSafeEqual(given, expected);
	return ok
		? { ...identity, method: "hash", verified: true }
		: { ...identity, method: "hash", verified: false, error: "user_hash does not match" };
}

function plain(settings: Record<string, unknown>) {
	return { userId: str(settings.user_id), email: str(settings.email), name: str(settings.name) };
}

const BASE64URL = /^[A-Za-z0-9_-]*$/;

function decodeJson(part: string, what: string): Record<string, unknown> {
	let value: unknown;
	try {
		value = JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
	} catch {
		throw new Error(`the ${what} is not base64url-encoded JSON`);
	}
	if (typeof value !== "object" || value === null || Array.isArray(value)) {
		throw new Error(`the ${what} is not a JSON object`);
	}
	return value as Record<string, unknown>;
}

/**
 * Verifies a compact HS256 JWS and its time claims (RFC 7519 §4.1.4-5, no clock tolerance), as
 * Intercom does for `intercom_user_jwt`, and returns its claims.
 * @throws Error saying why the token is refused.
 */
export function verifyHs256(jwt: string, secret: string, nowMs: number): Record<string, unknown> {
	const parts = jwt.split(".");
	if (parts.length !== 3 || !parts.every((p) => BASE64URL.test(p))) {
		throw new Error("not a compact JWS (three base64url parts)");
	}
	const [headerPart = "", payloadPart = "", signaturePart = ""] = parts;
	const header = decodeJson(headerPart, "header");
	if (header.alg !== "HS256") throw new Error(`alg ${JSON.stringify(header.alg)} is not HS256`);
	if (header.crit !== undefined) throw new Error("the crit header is not supported");
	const expected = createHmac("sha256", secret).update(`${headerPart}.${payloadPart}`).digest();
	const given = Buffer.from(signaturePart, "base64url");
	if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
		throw new Error("signature verification failed");
	}
	const payload = decodeJson(payloadPart, "payload");
	const now = Math.floor(nowMs / 1000);
	for (const claim of ["exp", "nbf", "iat"] as const) {
		if (payload[claim] !== undefined && typeof payload[claim] !== "number") {
			throw new Error(`the ${claim} claim is not a number`);
		}
	}
	if (typeof payload.exp === "number" && payload.exp <= now) throw new Error("the token has expired (exp)");
	if (typeof payload.nbf === "number" && payload.nbf > now)
		throw new Error("the token is not valid yet (nbf)");
	return payload;
}

/** How a boot's identity fared, in a word and in a sentence for the widget stand-in's panel. */
export interface IdentityVerdict {
	/** `verified`; `failed` (a proof that did not verify); `absent` (identified, no proof); `anonymous`. */
	status: "verified" | "failed" | "absent" | "anonymous";
	method: BootIdentity["method"];
	text: string;
}

/** Judges a verified boot identity for display; `enforced` when the app has an identity secret. */
export function identityVerdict(identity: BootIdentity, enforced: boolean): IdentityVerdict {
	const how = identity.method === "jwt" ? "JWT (intercom_user_jwt)" : "user_hash";
	if (identity.verified)
		return { status: "verified", method: identity.method, text: `Verified with ${how}.` };
	if (identity.method !== "none")
		return {
			status: "failed",
			method: identity.method,
			text: `Identity verification failed (${how}): ${identity.error ?? "not verified"}.`,
		};
	if (identity.userId === undefined && identity.email === undefined)
		return { status: "anonymous", method: "none", text: "Anonymous visitor: no user_id or email." };
	return {
		status: "absent",
		method: "none",
		text: enforced
			? "No user_hash or JWT: Intercom refuses this identified user (identity verification is enforced)."
			: "No user_hash or JWT: the identity is not verified.",
	};
}

/** Fields whose values prove an identity: shown as present, never echoed. */
const PROOF_FIELDS = new Set(["user_hash", "intercom_user_jwt"]);

/**
 * The fields a boot carried, as the widget stand-in shows them: values of ordinary fields (cut to
 * 120 characters), proofs only as `(present)`, so what Intercom would get can be seen at a glance.
 */
export function receivedFields(settings: Record<string, unknown>): { field: string; value: string }[] {
	return Object.keys(settings)
		.filter((field) => settings[field] !== undefined && settings[field] !== null && settings[field] !== "")
		.sort()
		.map((field) => {
			if (PROOF_FIELDS.has(field)) return { field, value: "(present)" };
			const raw = settings[field];
			const value = typeof raw === "string" ? raw : JSON.stringify(raw);
			return { field, value: value.length > 120 ? `${value.slice(0, 119)}…` : value };
		});
}

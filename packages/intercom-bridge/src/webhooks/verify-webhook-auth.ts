/**
 * Authentication of webhook requests. Threat model: anyone on the internet can POST to the
 * endpoints; a request is trusted only when it carries a valid `X-Hub-Signature` (HMAC-SHA1 of the
 * raw body, keyed by the site's client secret) or, for Series webhooks, which cannot sign, the
 * site's webhook API key in a header. A signature header that is present must verify: there is no
 * fall-back to the API key (no downgrade by stripping or spoiling the header). Every comparison is
 * constant-time; no secret reaches a log or a response (docs/reliability.md W1–W6).
 */
import { createHmac, hash, timingSafeEqual } from "node:crypto";
import type { SiteSettings } from "../settings/setting-keys.ts";

/** How a request proved itself, or why it did not. */
export type AuthResult =
	| { ok: true; method: "signature" | "previousSignature" | "apiKey" | "previousApiKey" }
	| { ok: false; reason: string };

/** Default grace period of a replaced API key or client secret: 24 hours. */
export { DEFAULT_API_KEY_GRACE_PERIOD_MS } from "../settings/setting-keys.ts";

const SIGNATURE_RE = /^sha1=([0-9a-fA-F]{40})$/;

/**
 * Checks `X-Hub-Signature: sha1=<40 hex>` against HMAC-SHA1(secret, raw bytes). The hex is decoded
 * and compared as bytes, so its case does not matter. Fails closed without a secret.
 */
export function verifySignature(bytes: Uint8Array, header: string, secret: string | null): AuthResult {
	if (!secret) return { ok: false, reason: "signature present but the site has no clientSecret" };
	const match = SIGNATURE_RE.exec(header.trim());
	if (!match?.[1]) return { ok: false, reason: "X-Hub-Signature is not sha1= followed by 40 hex digits" };
	const given = Buffer.from(match[1], "hex");
	const expected = createHmac("sha1", secret).update(bytes).digest();
	// Both are 20 bytes (the regex fixed the length), so timingSafeEqual cannot throw.
	return given.length === expected.length && timingSafeEqual(given, expected)
		? { ok: true, method: "signature" }
		: { ok: false, reason: "X-Hub-Signature does not match the body" };
}

/**
 * Digests of the expected secrets (a site's current and replaced keys: a handful per site), so a
 * request hashes only what it presents. Two `createHash` objects a request were about 4% of a
 * webhook's server CPU in the bench profile; the one-shot `hash()` of one side is a quarter of that.
 */
const expectedDigests = new Map<string, Buffer>();
const EXPECTED_DIGESTS_MAX = 1024;

function expectedDigest(secret: string): Buffer {
	let digest = expectedDigests.get(secret);
	if (!digest) {
		// Keys are replaced, never many at once: forgetting all of them now and then is enough.
		if (expectedDigests.size >= EXPECTED_DIGESTS_MAX) expectedDigests.clear();
		digest = hash("sha256", secret, "buffer");
		expectedDigests.set(secret, digest);
	}
	return digest;
}

/** Compares two secrets in constant time by comparing their SHA-256 digests (always 32 bytes). */
export function secretsEqual(given: string, expected: string): boolean {
	return timingSafeEqual(hash("sha256", given, "buffer"), expectedDigest(expected));
}

/**
 * The API key a request carries: `X-Api-Key`, `Authorization: Bearer <key>`, or the reference's
 * `XperienceApiKey` header (for sites moving from the Kentico module). Never the query string.
 */
export function apiKeyOf(headers: Headers): string | null {
	const direct = headers.get("x-api-key") ?? headers.get("xperienceapikey");
	if (direct?.trim()) return direct.trim();
	const authorization = headers.get("authorization");
	const bearer = authorization ? /^Bearer\s+(\S+)\s*$/i.exec(authorization) : null;
	return bearer?.[1] ?? null;
}

/**
 * Checks the site's webhook API key, then every replaced key, each while its own grace period
 * (counted from its replacement) lasts. Every candidate is always compared, so timing does not tell
 * which one matched.
 */
export function verifyApiKey(
	given: string | null,
	settings: Pick<SiteSettings, "webhookApiKey" | "previousWebhookApiKeys">,
	options: { now: number; gracePeriodMs: number },
): AuthResult {
	if (!given) return { ok: false, reason: "no X-Hub-Signature and no API key header" };
	if (!settings.webhookApiKey) return { ok: false, reason: "the site has no webhookApiKey" };
	const current = secretsEqual(given, settings.webhookApiKey);
	let matchesValid = false;
	let matchesExpired = false;
	for (const previous of settings.previousWebhookApiKeys) {
		const matches = secretsEqual(given, previous.key);
		const valid = options.now - previous.replacedAt.getTime() <= options.gracePeriodMs;
		if (matches && valid) matchesValid = true;
		if (matches && !valid) matchesExpired = true;
	}
	if (current) return { ok: true, method: "apiKey" };
	if (matchesValid) return { ok: true, method: "previousApiKey" };
	return {
		ok: false,
		reason: matchesExpired ? "a replaced API key whose grace period is over" : "wrong API key",
	};
}

/**
 * Authenticates a webhook request: the signature when the header is present (or `requireSignature`),
 * else the API key. Two `X-Hub-Signature` headers arrive joined by ", " and fail the format check.
 */
export function authenticateWebhook(input: {
	headers: Headers;
	bytes: Uint8Array;
	settings: SiteSettings;
	now: number;
	gracePeriodMs: number;
	requireSignature?: boolean;
}): AuthResult {
	const signature = input.headers.get("x-hub-signature");
	if (signature !== null) {
		const current = verifySignature(input.bytes, signature, input.settings.clientSecret);
		const previous = input.settings.previousClientSecret;
		if (current.ok || !previous) return current;
		// Signed with the secret replaced moments ago (Intercom or the site switched first).
		const old = verifySignature(input.bytes, signature, previous.secret);
		if (!old.ok) return current;
		return input.now - previous.replacedAt.getTime() <= input.gracePeriodMs
			? { ok: true, method: "previousSignature" }
			: { ok: false, reason: "signed with the previous clientSecret, whose grace period is over" };
	}
	if (input.requireSignature) return { ok: false, reason: "X-Hub-Signature is required on this endpoint" };
	return verifyApiKey(apiKeyOf(input.headers), input.settings, input);
}

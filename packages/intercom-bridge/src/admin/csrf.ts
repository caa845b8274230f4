/**
 * Cross-site request forgery defences of the console.
 *
 * 1. Every form carries a token: HMAC-SHA256 keyed with the session's own random CSRF secret, so a
 *    token from another session (or none) is refused (OWASP "synchronizer token", stateless form).
 * 2. Browsers say where a request came from: `Sec-Fetch-Site: cross-site` (and `same-site`, a
 *    sibling subdomain) is refused outright;
 *    older browsers without it are checked by `Origin`.
 * 3. Only POST changes state (GET on a save route answers 405).
 * The sign-in form has no session yet: it uses a random cookie whose value the form must echo,
 * checked together with rule 2, and the session is rotated at sign-in anyway.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { Context } from "hono";

const PURPOSE = "intercom-bridge admin form";

/** The form token of a session. */
export function csrfToken(csrfSecret: string): string {
	return createHmac("sha256", csrfSecret).update(PURPOSE).digest("base64url");
}

/** Constant-time string comparison that also hides the length of the expected value. */
export function safeEqual(a: string, b: string): boolean {
	const ha = createHmac("sha256", "cmp").update(a).digest();
	const hb = createHmac("sha256", "cmp").update(b).digest();
	return timingSafeEqual(ha, hb) && a === b;
}

/** True when `submitted` is this session's form token. */
export function verifyCsrfToken(csrfSecret: string, submitted: unknown): boolean {
	return typeof submitted === "string" && safeEqual(csrfToken(csrfSecret), submitted);
}

/** A random value for the sign-in form's cookie. */
export const newLoginNonce = () => randomBytes(24).toString("base64url");

/**
 * False when the browser says the request was sent by another site or origin (`Sec-Fetch-Site`
 * other than `same-origin` or `none`), or, without that header, an `Origin` that is neither ours nor `null` (no-referrer pages send
 * `null` for their own POSTs; the form token still has to match).
 */
export function isSameSiteRequest(c: Context, allowedOrigins: readonly string[]): boolean {
	const site = c.req.header("sec-fetch-site");
	// A sibling subdomain ("same-site") has no business posting to the console either.
	if (site) return site === "same-origin" || site === "none";
	const origin = c.req.header("origin");
	if (!origin || origin === "null") return true;
	return allowedOrigins.includes(origin);
}

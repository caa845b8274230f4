/**
 * Messenger identity verification (docs/intercom.md §6): the legacy `user_hash` and the Messenger
 * security JWT. Both are computed on the server with the identity verification secret, which never
 * reaches the page.
 */
import { createHmac } from "node:crypto";

/**
 * `user_hash`: HMAC-SHA256 of exactly the `user_id` string sent, keyed by the identity verification
 * secret, as lowercase hex (the reference emitted uppercase, which Intercom does not document).
 */
export function userHash(secret: string, userId: string): string {
	return createHmac("sha256", secret).update(userId, "utf8").digest("hex");
}

/** Claims of the Messenger JWT. `user_id` is required by Intercom; other signed fields are optional. */
export interface MessengerJwtClaims {
	user_id: string;
	email?: string;
	name?: string;
	[claim: string]: unknown;
}

const b64url = (input: string | Buffer) => Buffer.from(input).toString("base64url");

/**
 * Signs `intercom_user_jwt` with HS256. `exp` is `now + expiresInSeconds` (default 2 h, Intercom's
 * examples); `iat` is set too.
 * @example userJwt(secret, { user_id: guid, email }, { expiresInSeconds: 3600 })
 */
export function userJwt(
	secret: string,
	claims: MessengerJwtClaims,
	options: { expiresInSeconds?: number; now?: () => number } = {},
): string {
	const iat = Math.floor((options.now ?? Date.now)() / 1000);
	const payload = { ...claims, iat, exp: iat + (options.expiresInSeconds ?? 7200) };
	const signingInput = `${b64url(JSON.stringify({ alg: "HS256", typ: "JWT" }))}.${b64url(JSON.stringify(payload))}`;
	const signature = createHmac("sha256", secret).update(signingInput).digest("base64url");
	return `${signingInput}.${signature}`;
}

/**
 * Identity verification as the Messenger does it (docs/intercom.md §6): `user_hash` is the
 * lowercase hex HMAC-SHA256 of `user_id` (or the email when there is no user_id) with the app's
 * identity secret; `intercom_user_jwt` is an HS256 JWT with that secret whose `user_id` claim is
 * required. Comparison is exact: an uppercase hash (the C# module's bug) does not verify.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { jwtVerify } from "jose";

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
			const { payload } = await jwtVerify(jwt, new TextEncoder().encode(secret), {
				algorithms: ["HS256"],
				currentDate: new Date(nowMs),
			});
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

/**
 * The visitor cookie: the contact GUID plus an HMAC, so a visitor cannot pick another contact's
 * GUID (and with it a valid `user_hash` for that contact's conversations) by editing the cookie.
 *
 * Checking the HMAC is most of what a known visitor's page view costs once everything else is
 * cached, so cookie values that verified are remembered (value → GUID, a bounded map): a value is
 * served from there only when it is exactly, character for character, a value that verified
 * before, so a changed cookie is always checked again, and one that fails is never remembered.
 * Each remembered value also has a slot (`memo`) where the page view keeps its answer for that
 * exact value (create-page-view.ts): the page from memory then costs one look-up keyed on the
 * cookie, not one per cache.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { setBounded } from "../store/cache-helpers.ts";
import { isGuid } from "../store/contact-store.ts";

/**
 * A cookie value that verified, as remembered: its GUID, and a slot for what the caller derived
 * from exactly this value (dropped with it, so bounded by the same `remember`).
 */
export interface VerifiedCookie<Memo> {
	/** The contact GUID, lower case. */
	readonly guid: string;
	memo: Memo | undefined;
}

export interface VisitorCookie<Memo = never> {
	/** Reads the contact GUID from a Cookie header; null when absent or not signed by us. */
	read(cookieHeader: string | null): string | null;
	/**
	 * What {@link read} reads, with the remembered value's slot: the first of our cookies that
	 * verifies. With `remember: 0`, a new entry each time (a slot nobody keeps). `connection` (see
	 * VisitorRequest) remembers the last header that verified on it: the same header, character for
	 * character, on the same connection is answered without hashing the cookie again.
	 */
	verified(cookieHeader: string | null, connection?: object): VerifiedCookie<Memo> | null;
	/** The Set-Cookie value that stores `guid`. */
	write(guid: string, secure: boolean): string;
	/** The Set-Cookie value that removes the cookie. */
	clear(secure: boolean): string;
}

/** How many verified cookie values are remembered by default (about 200 bytes each). */
export const VERIFIED_COOKIES_DEFAULT = 10_000;

export function createVisitorCookie<Memo = never>(options: {
	name: string;
	maxAgeDays: number;
	key: Uint8Array;
	/** How many verified cookie values to remember; the oldest is dropped first. 0 remembers none. */
	remember?: number;
}): VisitorCookie<Memo> {
	const { name } = options;
	const remember = options.remember ?? VERIFIED_COOKIES_DEFAULT;
	const sign = (guid: string) =>
		createHmac("sha256", options.key).update(guid).digest("base64url").slice(0, 22);
	const attributes = (secure: boolean) => `Path=/; HttpOnly; SameSite=Lax${secure ? "; Secure" : ""}`;
	// Cookie value ("<guid>.<mac>") → its lower-case GUID and slot, only for values whose HMAC matched.
	const verified = new Map<string, VerifiedCookie<Memo>>();

	function verify(value: string): VerifiedCookie<Memo> | null {
		const known = verified.get(value);
		if (known !== undefined) return known;
		const dot = value.indexOf(".");
		const guid = value.slice(0, dot);
		if (dot <= 0 || !isGuid(guid)) return null;
		const mac = Buffer.from(value.slice(dot + 1));
		const expected = Buffer.from(sign(guid));
		if (mac.length !== expected.length || !timingSafeEqual(mac, expected)) return null;
		if (remember === 0) return { guid: guid.toLowerCase(), memo: undefined };
		// A copy: `value` is a slice of the whole Cookie header, which the map would otherwise keep.
		const key = Buffer.from(value, "latin1").toString("latin1");
		const entry: VerifiedCookie<Memo> = { guid: key.slice(0, dot).toLowerCase(), memo: undefined };
		setBounded(verified, remember, key, entry);
		return entry;
	}

	const prefix = `${name}=`;
	// The last Cookie header that verified on each connection, and what it gave. The header is
	// compared whole: an equal header always reads as the same value, so the same entry.
	const lastOn = new WeakMap<object, { header: string; entry: VerifiedCookie<Memo> }>();
	function verifiedOn(header: string | null, connection?: object): VerifiedCookie<Memo> | null {
		if (!connection || !header || remember === 0) return verifiedIn(header);
		const last = lastOn.get(connection);
		if (last !== undefined && last.header === header) return last.entry;
		const entry = verifiedIn(header);
		if (entry) lastOn.set(connection, { header, entry });
		return entry;
	}
	function verifiedIn(header: string | null): VerifiedCookie<Memo> | null {
		if (!header) return null;
		// The first of our cookies that verifies; walked without splitting the header into arrays.
		for (let start = 0; start < header.length; ) {
			let end = header.indexOf(";", start);
			if (end < 0) end = header.length;
			while (header.charCodeAt(start) === 32) start++;
			// "name=" as browsers send it; else, as before, any spacing around the name.
			let value = header.startsWith(prefix, start) ? start + prefix.length : -1;
			if (value < 0) {
				const eq = header.indexOf("=", start);
				if (eq >= 0 && eq < end && header.slice(start, eq).trim() === name) value = eq + 1;
			}
			if (value >= 0 && value <= end) {
				const entry = verify(header.slice(value, end).trim());
				if (entry) return entry;
			}
			start = end + 1;
		}
		return null;
	}

	return {
		read: (header) => verifiedIn(header)?.guid ?? null,
		verified: verifiedOn,
		write(guid, secure) {
			const maxAge = Math.round(options.maxAgeDays * 86400);
			return `${name}=${guid}.${sign(guid)}; Max-Age=${maxAge}; ${attributes(secure)}`;
		},
		clear(secure) {
			return `${name}=; Max-Age=0; ${attributes(secure)}`;
		},
	};
}

/**
 * The visitor cookie: the contact GUID plus an HMAC, so a visitor cannot pick another contact's
 * GUID (and with it a valid `user_hash` for that contact's conversations) by editing the cookie.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { isGuid } from "../store/contact-store.ts";

export interface VisitorCookie {
	/** Reads the contact GUID from a Cookie header; null when absent or not signed by us. */
	read(cookieHeader: string | null): string | null;
	/** The Set-Cookie value that stores `guid`. */
	write(guid: string, secure: boolean): string;
	/** The Set-Cookie value that removes the cookie. */
	clear(secure: boolean): string;
}

export function createVisitorCookie(options: {
	name: string;
	maxAgeDays: number;
	key: Uint8Array;
}): VisitorCookie {
	const sign = (guid: string) =>
		createHmac("sha256", options.key).update(guid).digest("base64url").slice(0, 22);
	const attributes = (secure: boolean) => `Path=/; HttpOnly; SameSite=Lax${secure ? "; Secure" : ""}`;
	return {
		read(header) {
			if (!header) return null;
			for (const part of header.split(";")) {
				const eq = part.indexOf("=");
				if (eq < 0 || part.slice(0, eq).trim() !== options.name) continue;
				const value = part.slice(eq + 1).trim();
				const dot = value.indexOf(".");
				const guid = value.slice(0, dot);
				const mac = Buffer.from(value.slice(dot + 1));
				const expected = Buffer.from(sign(guid));
				if (dot > 0 && isGuid(guid) && mac.length === expected.length && timingSafeEqual(mac, expected)) {
					return guid.toLowerCase();
				}
			}
			return null;
		},
		write(guid, secure) {
			const maxAge = Math.round(options.maxAgeDays * 86400);
			return `${options.name}=${guid}.${sign(guid)}; Max-Age=${maxAge}; ${attributes(secure)}`;
		},
		clear(secure) {
			return `${options.name}=; Max-Age=0; ${attributes(secure)}`;
		},
	};
}

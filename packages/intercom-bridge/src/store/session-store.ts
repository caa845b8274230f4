/**
 * Server-side admin sessions in `admin_sessions`.
 *
 * Threat model: a stolen database dump must not yield usable sessions, so the table keeps only the
 * SHA-256 of the cookie token (256 random bits). A session ends after `idleMs` without a request or
 * `absoluteMs` after sign-in, whichever comes first, and is deleted on sign-out. Each session has
 * its own CSRF secret and, while "Get token" runs, its own OAuth `state` (single use, 10 min), and
 * after "Generate new" the hash of the webhook API key to show once.
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { and, eq, lt } from "drizzle-orm";
import type { Store } from "./create-store.ts";
import { adminSessions } from "./schema.ts";
import { storeInternals } from "./store-internals.ts";

/** A live session as the console sees it. */
export interface AdminSession {
	tokenHash: string;
	userId: number;
	csrfSecret: string;
	createdAt: Date;
	lastSeenAt: Date;
	expiresAt: Date;
}

export interface SessionStoreOptions {
	store: Store;
	now: () => number;
	/** Ends a session after this long without a request. Default 30 min. */
	idleMs?: number;
	/** Ends a session this long after sign-in. Default 8 h. */
	absoluteMs?: number;
}

/** How long an OAuth `state` is accepted (Intercom's codes live about 5 min). */
export const OAUTH_STATE_TTL_MS = 10 * 60_000;

const sha256 = (value: string) => createHash("sha256").update(value).digest("hex");

/** Builds the session store over the store's database. */
export function createSessionStore(options: SessionStoreOptions) {
	const { db } = storeInternals(options.store);
	const idleMs = options.idleMs ?? 30 * 60_000;
	const absoluteMs = options.absoluteMs ?? 8 * 60 * 60_000;
	const now = () => new Date(options.now());

	return {
		idleMs,

		/** Starts a session for a user; returns the cookie token (shown to nobody but the browser). */
		async create(userId: number): Promise<{ token: string; session: AdminSession }> {
			const token = randomBytes(32).toString("base64url");
			const at = now();
			const [row] = await db
				.insert(adminSessions)
				.values({
					tokenHash: sha256(token),
					userId,
					csrfSecret: randomBytes(32).toString("hex"),
					createdAt: at,
					lastSeenAt: at,
					expiresAt: new Date(at.getTime() + absoluteMs),
				})
				.returning();
			if (!row) throw new Error("insert returned no row");
			// Expired sessions of anyone are swept here rather than by a timer: sign-ins are rare.
			await db.delete(adminSessions).where(lt(adminSessions.expiresAt, at));
			return { token, session: row };
		},

		/**
		 * The live session for a cookie token, or null when unknown, idle too long or expired. A live
		 * session's `lastSeenAt` moves forward (at most once a minute, to spare writes).
		 */
		async load(token: string | undefined): Promise<AdminSession | null> {
			if (!token || token.length > 100) return null;
			const tokenHash = sha256(token);
			const [row] = await db.select().from(adminSessions).where(eq(adminSessions.tokenHash, tokenHash));
			if (!row) return null;
			const at = now();
			if (at >= row.expiresAt || at.getTime() - row.lastSeenAt.getTime() > idleMs) {
				await db.delete(adminSessions).where(eq(adminSessions.tokenHash, tokenHash));
				return null;
			}
			if (at.getTime() - row.lastSeenAt.getTime() > 60_000) {
				await db.update(adminSessions).set({ lastSeenAt: at }).where(eq(adminSessions.tokenHash, tokenHash));
				row.lastSeenAt = at;
			}
			return row;
		},

		/** Ends a session (sign-out). */
		async destroy(tokenHash: string): Promise<void> {
			await db.delete(adminSessions).where(eq(adminSessions.tokenHash, tokenHash));
		},

		/** Starts an OAuth round trip for a site: a fresh random `state`, bound to this session. */
		async beginOAuth(tokenHash: string, siteId: number): Promise<string> {
			const state = `${randomBytes(32).toString("base64url")}.${options.now()}`;
			await db
				.update(adminSessions)
				.set({ oauthState: state, oauthSiteId: siteId })
				.where(eq(adminSessions.tokenHash, tokenHash));
			return state;
		},

		/**
		 * Checks a callback's `state` against the session's and clears it whatever the outcome (single
		 * use). Returns the site the flow was started for, or a reason it was refused.
		 */
		async finishOAuth(
			tokenHash: string,
			state: string,
		): Promise<
			{ ok: true; siteId: number } | { ok: false; reason: "no_flow" | "state_mismatch" | "expired" }
		> {
			const [row] = await db
				.select({ state: adminSessions.oauthState, siteId: adminSessions.oauthSiteId })
				.from(adminSessions)
				.where(eq(adminSessions.tokenHash, tokenHash));
			if (!row?.state || row.siteId === null) return { ok: false, reason: "no_flow" };
			// Clearing only the state we read makes two racing callbacks see one success at most.
			const cleared = await db
				.update(adminSessions)
				.set({ oauthState: null, oauthSiteId: null })
				.where(and(eq(adminSessions.tokenHash, tokenHash), eq(adminSessions.oauthState, row.state)))
				.returning({ tokenHash: adminSessions.tokenHash });
			if (cleared.length === 0) return { ok: false, reason: "no_flow" };
			const expected = Buffer.from(sha256(row.state));
			if (!timingSafeEqual(expected, Buffer.from(sha256(state))))
				return { ok: false, reason: "state_mismatch" };
			const issuedAt = Number(row.state.split(".")[1]);
			if (!(options.now() - issuedAt <= OAUTH_STATE_TTL_MS)) return { ok: false, reason: "expired" };
			return { ok: true, siteId: row.siteId };
		},

		/**
		 * Notes that this session's next view of the site's "Webhook security" page shows `key`, the
		 * key just generated. Only its SHA-256 is kept: the page shows the site's current key when it
		 * still has that hash, so no copy of the key is stored anywhere but the sealed setting.
		 */
		async offerKeyReveal(tokenHash: string, siteId: number, key: string): Promise<void> {
			await db
				.update(adminSessions)
				.set({ revealSiteId: siteId, revealKeyHash: sha256(key) })
				.where(eq(adminSessions.tokenHash, tokenHash));
		},

		/**
		 * Takes the key reveal waiting for this session on this site, if any: its SHA-256, cleared in
		 * the same step, so two views (a reload, two tabs) see it once between them.
		 */
		async takeKeyReveal(tokenHash: string, siteId: number): Promise<string | null> {
			const [row] = await db
				.select({ siteId: adminSessions.revealSiteId, hash: adminSessions.revealKeyHash })
				.from(adminSessions)
				.where(eq(adminSessions.tokenHash, tokenHash));
			if (!row?.hash || row.siteId !== siteId) return null;
			// Clearing only the reveal we read makes two racing views see one success at most.
			const cleared = await db
				.update(adminSessions)
				.set({ revealSiteId: null, revealKeyHash: null })
				.where(and(eq(adminSessions.tokenHash, tokenHash), eq(adminSessions.revealKeyHash, row.hash)))
				.returning({ tokenHash: adminSessions.tokenHash });
			return cleared.length > 0 ? row.hash : null;
		},
	};
}

/** The session store. See {@link createSessionStore}. */
export type SessionStore = ReturnType<typeof createSessionStore>;

/** The stored hash of a cookie token. */
export const hashSessionToken = sha256;

/** True when `key` is the key whose hash {@link SessionStore.takeKeyReveal} returned (constant time). */
export function isRevealedKey(hash: string, key: string): boolean {
	const a = Buffer.from(hash);
	const b = Buffer.from(sha256(key));
	return a.length === b.length && timingSafeEqual(a, b);
}

/** Administrators of the console: email, scrypt password hash, and a role per site (or on all sites). */
import { and, asc, count, eq, isNull, ne, sql } from "drizzle-orm";
import { generatePassword, hashPassword, needsRehash, verifyPassword } from "../crypto/password.ts";
import { NotFoundError, ValidationError } from "../errors.ts";
import { isValidEmail } from "./contact-fields.ts";
import { createLoginAttemptStore } from "./login-attempt-store.ts";
import { adminSessions, adminUserRoles, adminUsers } from "./schema.ts";
import { guard, type StoreContext } from "./store-context.ts";

export type AdminRole = "read" | "modify";

export interface AdminUser {
	id: number;
	email: string;
	createdAt: Date;
	/** Roles by site id; `null` is the role on every site. */
	roles: { siteId: number | null; role: AdminRole }[];
}

export function createAdminUserStore(ctx: StoreContext) {
	const { db } = ctx;
	const { clearLoginFailures } = createLoginAttemptStore(ctx);

	async function rolesOf(userId: number) {
		return db
			.select({ siteId: adminUserRoles.siteId, role: adminUserRoles.role })
			.from(adminUserRoles)
			.where(eq(adminUserRoles.userId, userId))
			.orderBy(asc(adminUserRoles.siteId));
	}

	const api = {
		/**
		 * Adds an administrator. Without a password one is generated and returned (show it once).
		 * Without `siteId` the role applies to every site.
		 * @throws ValidationError for a bad email or a short password; ConflictError when the email exists.
		 */
		async addAdminUser(input: {
			email: string;
			password?: string;
			siteId?: number | null;
			role?: AdminRole;
		}): Promise<{ user: AdminUser; generatedPassword: string | null }> {
			const email = input.email.trim();
			if (!isValidEmail(email))
				throw new ValidationError(`"${input.email}" is not a valid email address.`, "email");
			if (input.password !== undefined && input.password.length < 12) {
				throw new ValidationError("The password must be at least 12 characters long.", "password");
			}
			const role = input.role ?? "modify";
			if (role !== "read" && role !== "modify") {
				throw new ValidationError(`"${role}" is not a role. Allowed values: read, modify.`, "role");
			}
			const generatedPassword = input.password === undefined ? generatePassword() : null;
			const passwordHash = await hashPassword(input.password ?? generatedPassword ?? "");
			const user = await guard(
				() =>
					db.transaction(async (tx) => {
						const [row] = await tx.insert(adminUsers).values({ email, passwordHash }).returning();
						if (!row) throw new Error("insert returned no row");
						await tx.insert(adminUserRoles).values({ userId: row.id, siteId: input.siteId ?? null, role });
						return {
							id: row.id,
							email: row.email,
							createdAt: row.createdAt,
							roles: [] as AdminUser["roles"],
						};
					}),
				`An administrator with email ${email} already exists.`,
			);
			user.roles = await guard(() => rolesOf(user.id));
			return { user, generatedPassword };
		},

		/** Sets (or replaces) a user's role on one site, or on every site with `siteId: null`. */
		async setAdminRole(userId: number, siteId: number | null, role: AdminRole): Promise<void> {
			await guard(() =>
				db.transaction(async (tx) => {
					await tx
						.delete(adminUserRoles)
						.where(
							and(
								eq(adminUserRoles.userId, userId),
								siteId === null ? isNull(adminUserRoles.siteId) : eq(adminUserRoles.siteId, siteId),
							),
						);
					await tx.insert(adminUserRoles).values({ userId, siteId, role });
				}),
			);
		},

		/** Every administrator with roles. */
		async listAdminUsers(): Promise<AdminUser[]> {
			const users = await guard(() => db.select().from(adminUsers).orderBy(asc(adminUsers.email)));
			return guard(() =>
				Promise.all(
					users.map(async (u) => ({
						id: u.id,
						email: u.email,
						createdAt: u.createdAt,
						roles: await rolesOf(u.id),
					})),
				),
			);
		},

		/** An administrator by id with roles, or null when there is none (deleted). */
		async getAdminUser(userId: number): Promise<AdminUser | null> {
			const [row] = await guard(() => db.select().from(adminUsers).where(eq(adminUsers.id, userId)));
			if (!row) return null;
			return {
				id: row.id,
				email: row.email,
				createdAt: row.createdAt,
				roles: await guard(() => rolesOf(row.id)),
			};
		},

		/** How many administrators exist (to create the first one at start-up). */
		async countAdminUsers(): Promise<number> {
			const [row] = await guard(() => db.select({ n: count() }).from(adminUsers));
			return row?.n ?? 0;
		},

		/**
		 * Checks an email and password. Returns the user, or null for any mismatch (the same answer
		 * for an unknown email and a wrong password; a dummy hash keeps the timing alike).
		 */
		async verifyAdminPassword(email: string, password: string): Promise<AdminUser | null> {
			const [row] = await guard(() =>
				db.select().from(adminUsers).where(sql`lower(${adminUsers.email}) = lower(${email.trim()})`),
			);
			const ok = await verifyPassword(password, row?.passwordHash ?? DUMMY_HASH);
			if (!row || !ok) return null;
			return {
				id: row.id,
				email: row.email,
				createdAt: row.createdAt,
				roles: await guard(() => rolesOf(row.id)),
			};
		},

		/**
		 * Sets a new password for the administrator with this email (generated when omitted, and
		 * returned to show once) and ends all their console sessions: the way back in when the
		 * password is lost or known to someone else. It also lifts the sign-in throttle for the email
		 * (its failures stop counting), so a lock-out by someone guessing ends here too.
		 * @throws NotFoundError; ValidationError (too short)
		 */
		async resetAdminPassword(
			email: string,
			password?: string,
		): Promise<{ user: AdminUser; generatedPassword: string | null }> {
			const [row] = await guard(() =>
				db
					.select({ id: adminUsers.id })
					.from(adminUsers)
					.where(sql`lower(${adminUsers.email}) = ${email.trim().toLowerCase()}`),
			);
			if (!row) throw new NotFoundError(`No administrator with email "${email}".`);
			const generatedPassword = password === undefined ? generatePassword() : null;
			await api.setAdminPassword(row.id, password ?? generatedPassword ?? "");
			await api.endAdminSessions(row.id);
			await clearLoginFailures(email);
			const user = (await api.listAdminUsers()).find((u) => u.id === row.id);
			if (!user) throw new NotFoundError(`No administrator with email "${email}".`);
			return { user, generatedPassword };
		},

		/** Ends an administrator's console sessions, all or all but the one with `exceptTokenHash`. */
		async endAdminSessions(userId: number, exceptTokenHash?: string): Promise<void> {
			await guard(() =>
				db
					.delete(adminSessions)
					.where(
						exceptTokenHash === undefined
							? eq(adminSessions.userId, userId)
							: and(eq(adminSessions.userId, userId), ne(adminSessions.tokenHash, exceptTokenHash)),
					),
			);
		},

		/**
		 * Re-hashes the user's password with the current scrypt parameters when its hash was made
		 * with older ones (call it right after a successful sign-in, while the password is at hand).
		 * Returns true when it did.
		 */
		async upgradeAdminPasswordHash(userId: number, password: string): Promise<boolean> {
			const [row] = await guard(() =>
				db.select({ hash: adminUsers.passwordHash }).from(adminUsers).where(eq(adminUsers.id, userId)),
			);
			if (!row || !needsRehash(row.hash)) return false;
			await api.setAdminPassword(userId, password);
			return true;
		},

		/** Replaces a user's password. @throws NotFoundError */
		async setAdminPassword(userId: number, password: string): Promise<void> {
			if (password.length < 12)
				throw new ValidationError("The password must be at least 12 characters long.", "password");
			const passwordHash = await hashPassword(password);
			const rows = await guard(() =>
				db
					.update(adminUsers)
					.set({ passwordHash })
					.where(eq(adminUsers.id, userId))
					.returning({ id: adminUsers.id }),
			);
			if (!rows[0]) throw new NotFoundError(`Administrator ${userId} not found.`);
		},
	};
	return api;
}

/** A valid hash of a random password, so unknown emails cost the same scrypt work. */
const DUMMY_HASH =
	"$scrypt$ln=17,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

export type AdminUserStore = ReturnType<typeof createAdminUserStore>;

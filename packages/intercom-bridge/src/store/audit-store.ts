/**
 * The audit log (table `settings_audit`): who changed what and when, never the value. A site's
 * settings write their rows themselves (settings-store.ts); the console and the CLI record the
 * changes to what every site shares (activity types, consents, administrators) with
 * {@link AuditStore.recordAudit}.
 */
import { and, desc, eq, inArray, isNull, or } from "drizzle-orm";
import { ValidationError } from "../errors.ts";
import { settingsAudit } from "./schema.ts";
import { guard, type StoreContext } from "./store-context.ts";

/** What an audit row is about: a site's setting, or something all sites share. */
export type AuditKind = "setting" | "activity-type" | "consent" | "admin";

const SHARED_KINDS: readonly AuditKind[] = ["activity-type", "consent", "admin"];

/** One row of the audit log. */
export type AuditEntry = typeof settingsAudit.$inferSelect;

export function createAuditStore(ctx: StoreContext) {
	const { db } = ctx;
	return {
		/**
		 * Records a change to something every site shares: `key` is the activity type's or consent's
		 * code name, or the administrator's email; `action` a short verb (`add`, `rename`, `enable`,
		 * `disable`, `edit`, `password`); `actor` who did it (an email, or `cli`).
		 * @throws ValidationError for an unknown kind or an empty key, action or actor.
		 */
		async recordAudit(input: {
			kind: Exclude<AuditKind, "setting">;
			key: string;
			action: string;
			actor: string;
		}): Promise<void> {
			// Checked at run time too: the CLI and plain-JS callers pass strings.
			if (!SHARED_KINDS.includes(input.kind)) {
				throw new ValidationError(
					`Audit kind must be activity-type, consent or admin (got "${input.kind}").`,
					"kind",
				);
			}
			for (const name of ["key", "action", "actor"] as const) {
				if (!input[name]?.trim()) throw new ValidationError(`The audit row's ${name} is required.`, name);
			}
			await guard(() =>
				db.insert(settingsAudit).values({
					siteId: null,
					kind: input.kind,
					key: input.key.slice(0, 254),
					action: input.action.slice(0, 20),
					actor: input.actor.slice(0, 254),
				}),
			);
		},

		/**
		 * The audit log as seen from one site, newest first: its setting changes and the changes to
		 * what all sites share (activity types, consents), and with `admins` the changes to
		 * administrators too (the console shows those only to a role on every site).
		 */
		async listAudit(
			siteId: number,
			options: { limit?: number; admins?: boolean } = {},
		): Promise<AuditEntry[]> {
			const shared: AuditKind[] = options.admins
				? ["activity-type", "consent", "admin"]
				: ["activity-type", "consent"];
			return guard(() =>
				db
					.select()
					.from(settingsAudit)
					.where(
						or(
							eq(settingsAudit.siteId, siteId),
							and(isNull(settingsAudit.siteId), inArray(settingsAudit.kind, shared)),
						),
					)
					.orderBy(desc(settingsAudit.id))
					.limit(Math.min(Math.max(options.limit ?? 100, 1), 1000)),
			);
		},
	};
}

export type AuditStore = ReturnType<typeof createAuditStore>;

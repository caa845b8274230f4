/** Activity types (what can be logged) and activities (what a contact did). */
import { createHash } from "node:crypto";
import { and, asc, desc, eq, exists, inArray, notExists, or, sql } from "drizzle-orm";
import { NotFoundError, ValidationError } from "../errors.ts";
import { checkCodeName, checkDisplayName } from "./code-name.ts";
import { truncate } from "./contact-fields.ts";
import { findContact, isGuid, type SiteScope } from "./contact-store.ts";
import { enqueueIntercomEventJob } from "./job-store.ts";
import { activities, activityTypes, settingsAudit, siteActivityTypes, sites } from "./schema.ts";
import { guard, type StoreContext } from "./store-context.ts";

export type ActivityType = typeof activityTypes.$inferSelect;
export type Activity = typeof activities.$inferSelect;

/** Title of an activity: the type's display name, then the value when there is one (max 250). */
export function activityTitle(typeDisplayName: string, value: string | null | undefined): string {
	return truncate(value ? `${typeDisplayName} - ${value}` : typeDisplayName, 250);
}

/**
 * SQL condition: the site accepts the activity type — it chose no types (then every enabled type),
 * or chose this one (docs/decisions/0020). The webhook's log statement has the same condition in
 * its own text (activity-log.ts).
 */
function acceptedOnSite(siteId: number) {
	return or(
		notExists(sql`(select 1 from ${siteActivityTypes} where ${siteActivityTypes.siteId} = ${siteId})`),
		exists(
			sql`(select 1 from ${siteActivityTypes} where ${siteActivityTypes.siteId} = ${siteId} and ${siteActivityTypes.typeId} = ${activityTypes.id})`,
		),
	);
}

export function createActivityStore(ctx: StoreContext) {
	const { db } = ctx;

	async function setEnabled(codeName: string, enabled: boolean) {
		const rows = await guard(() =>
			db.update(activityTypes).set({ enabled }).where(eq(activityTypes.codeName, codeName)).returning(),
		);
		if (!rows[0]) throw new NotFoundError(`No activity type "${codeName}".`);
		return rows[0];
	}

	return {
		/**
		 * Adds an activity type (enabled unless said otherwise).
		 * @throws ConflictError when the code name exists.
		 */
		async addActivityType(input: {
			codeName: string;
			displayName: string;
			enabled?: boolean;
		}): Promise<ActivityType> {
			const codeName = checkCodeName(input.codeName, "activity type");
			const displayName = checkDisplayName(input.displayName, "activity type");
			return guard(async () => {
				const [row] = await db
					.insert(activityTypes)
					.values({ codeName, displayName, enabled: input.enabled ?? true })
					.returning();
				if (!row) throw new Error("insert returned no row");
				return row;
			}, `An activity type with code name "${codeName}" already exists.`);
		},

		/** Every activity type, by code name. */
		async listActivityTypes(): Promise<ActivityType[]> {
			return guard(() => db.select().from(activityTypes).orderBy(asc(activityTypes.codeName)));
		},

		/** An activity type by code name, or null. */
		async getActivityType(codeName: string): Promise<ActivityType | null> {
			const [row] = await guard(() =>
				db.select().from(activityTypes).where(eq(activityTypes.codeName, codeName)),
			);
			return row ?? null;
		},

		/**
		 * Sets an activity type's display name. The code name never changes: webhooks and settings
		 * refer to it.
		 * @throws ValidationError, NotFoundError
		 */
		async renameActivityType(codeName: string, displayName: string): Promise<void> {
			const name = checkDisplayName(displayName, "activity type");
			const rows = await guard(() =>
				db
					.update(activityTypes)
					.set({ displayName: name })
					.where(eq(activityTypes.codeName, codeName))
					.returning({ id: activityTypes.id }),
			);
			if (!rows[0]) throw new NotFoundError(`No activity type "${codeName}".`);
		},

		/**
		 * The code names of the activity types the site accepts, or null when it accepts every enabled
		 * type (it chose none). A chosen type that is disabled stays chosen and is still refused.
		 */
		async listSiteActivityTypes(siteId: number): Promise<string[] | null> {
			const rows = await guard(() =>
				db
					.select({ codeName: activityTypes.codeName })
					.from(siteActivityTypes)
					.innerJoin(activityTypes, eq(activityTypes.id, siteActivityTypes.typeId))
					.where(eq(siteActivityTypes.siteId, siteId))
					.orderBy(asc(activityTypes.codeName)),
			);
			return rows.length > 0 ? rows.map((r) => r.codeName) : null;
		},

		/**
		 * Chooses the activity types the site accepts (the log-activity webhook and `recordActivity`
		 * refuse others as they refuse a disabled type); null accepts every enabled type again. Writes an
		 * audit row for the site (key `activityTypes`, action `set`) in the same transaction.
		 * @throws ValidationError for an empty list or an unknown code name; NotFoundError for an
		 * unknown site.
		 */
		async setSiteActivityTypes(
			siteId: number,
			codeNames: readonly string[] | null,
			options: { actor?: string } = {},
		): Promise<void> {
			const wanted = codeNames === null ? null : [...new Set(codeNames)];
			if (wanted?.length === 0) {
				throw new ValidationError(
					"Choose at least one activity type, or accept all enabled types.",
					"activityTypes",
				);
			}
			await guard(() =>
				db.transaction(async (tx) => {
					const [site] = await tx.select({ id: sites.id }).from(sites).where(eq(sites.id, siteId));
					if (!site) throw new NotFoundError(`No site with id ${siteId}.`);
					await tx.delete(siteActivityTypes).where(eq(siteActivityTypes.siteId, siteId));
					await tx
						.insert(settingsAudit)
						.values({ siteId, key: "activityTypes", action: "set", actor: options.actor ?? "system" });
					if (wanted === null) return;
					const types = await tx
						.select({ id: activityTypes.id, codeName: activityTypes.codeName })
						.from(activityTypes)
						.where(inArray(activityTypes.codeName, wanted));
					const unknown = wanted.filter((code) => !types.some((t) => t.codeName === code));
					if (unknown.length > 0) {
						throw new ValidationError(
							`No activity type ${unknown.map((c) => `"${c}"`).join(", ")}; see \`activity-types list\`.`,
							"activityTypes",
						);
					}
					await tx.insert(siteActivityTypes).values(types.map((t) => ({ siteId, typeId: t.id })));
				}),
			);
		},

		/**
		 * Opts an activity type in or out of being sent to Intercom as a data event (decision 0023).
		 * Only activities the site records (`recordActivity`) are ever sent, never those that came
		 * from Intercom (the log-activity webhook). The console and the CLI audit the change.
		 * @throws NotFoundError for an unknown code name.
		 */
		async setActivityTypeSendsToIntercom(codeName: string, on: boolean): Promise<ActivityType> {
			const rows = await guard(() =>
				db
					.update(activityTypes)
					.set({ sendToIntercom: on })
					.where(eq(activityTypes.codeName, codeName))
					.returning(),
			);
			if (!rows[0]) throw new NotFoundError(`No activity type "${codeName}".`);
			return rows[0];
		},

		/**
		 * What the Intercom event job needs of an activity: the activity, its type's code name and
		 * whether the type is still sent. Null when the activity is gone (its contact was erased).
		 */
		async getActivityForIntercomEvent(activityId: number): Promise<{
			activity: Activity;
			typeCodeName: string;
			typeDisplayName: string;
			sendToIntercom: boolean;
		} | null> {
			const [row] = await guard(() =>
				db
					.select({
						activity: activities,
						typeCodeName: activityTypes.codeName,
						typeDisplayName: activityTypes.displayName,
						sendToIntercom: activityTypes.sendToIntercom,
					})
					.from(activities)
					.innerJoin(activityTypes, eq(activityTypes.id, activities.typeId))
					.where(eq(activities.id, activityId)),
			);
			return row ?? null;
		},

		/** @throws NotFoundError for an unknown code name. */
		enableActivityType: (codeName: string) => setEnabled(codeName, true),
		/** @throws NotFoundError for an unknown code name. */
		disableActivityType: (codeName: string) => setEnabled(codeName, false),

		/**
		 * Records an activity from the site's own code (e.g. a contact form), for a contact (GUID or merged
		 * GUID), of an enabled type. Unlike the webhook's `logActivity` it takes a comment and enqueues no
		 * conversation-links job: the activity did not come from Intercom (its origin is `site`). The title is
		 * built from the type's display name and the value unless given. When the type is sent to
		 * Intercom (`setActivityTypeSendsToIntercom`), its Intercom event job is queued in the same
		 * transaction (decision 0023; the job checks the site's data policy when it runs).
		 * @throws ValidationError when the type is unknown, disabled or not accepted on the site;
		 * NotFoundError for an unknown contact; StoreUnavailableError when the type is sent to
		 * Intercom and the job queue does not exist yet (nothing is recorded then).
		 */
		async recordActivity(input: {
			contactGuid: string;
			siteId: number;
			typeCodeName: string;
			value?: string | null;
			url?: string | null;
			comment?: string | null;
			title?: string;
		}): Promise<Activity> {
			if (!isGuid(input.contactGuid)) {
				throw new ValidationError(`"${input.contactGuid}" is not a valid contact GUID.`, "contactGuid");
			}
			return guard(() =>
				db.transaction(async (tx) => {
					const [type] = await tx
						.select()
						.from(activityTypes)
						.where(and(eq(activityTypes.codeName, input.typeCodeName), acceptedOnSite(input.siteId)));
					if (!type?.enabled)
						throw new ValidationError("Activity type is incorrect or disabled.", "activityType");
					const contact = await findContact(tx, input.contactGuid.toLowerCase());
					if (!contact) throw new NotFoundError(`Contact ${input.contactGuid} not found.`);
					const url = input.url || null;
					const [row] = await tx
						.insert(activities)
						.values({
							contactGuid: contact.guid,
							siteId: input.siteId,
							typeId: type.id,
							title: input.title ? truncate(input.title, 250) : activityTitle(type.displayName, input.value),
							value: input.value || null,
							url,
							urlHash: url ? createHash("sha256").update(url).digest("hex") : null,
							comment: input.comment ?? null,
							origin: "site",
						})
						.returning();
					if (!row) throw new Error("insert returned no row");
					if (type.sendToIntercom) await enqueueIntercomEventJob(tx, row.id, input.siteId);
					return row;
				}),
			);
		},

		/** A contact's activities with their type, newest first; with `siteIds`, only those on these sites. */
		async listActivities(contactGuid: string, options: { limit?: number; siteIds?: SiteScope } = {}) {
			if (!isGuid(contactGuid)) return [];
			const contact = await guard(() => findContact(db, contactGuid.toLowerCase()));
			if (!contact) return [];
			return guard(() =>
				db
					.select({ activity: activities, type: activityTypes })
					.from(activities)
					.innerJoin(activityTypes, eq(activityTypes.id, activities.typeId))
					.where(
						and(
							eq(activities.contactGuid, contact.guid),
							options.siteIds
								? options.siteIds.length > 0
									? inArray(activities.siteId, [...options.siteIds])
									: sql`false`
								: undefined,
						),
					)
					.orderBy(desc(activities.createdAt), desc(activities.id))
					.limit(Math.min(Math.max(options.limit ?? 100, 1), 1000)),
			);
		},

		/** Sets the comment of an activity (the conversation links). */
		async setActivityComment(activityId: number, comment: string): Promise<void> {
			const rows = await guard(() =>
				db
					.update(activities)
					.set({ comment })
					.where(eq(activities.id, activityId))
					.returning({ id: activities.id }),
			);
			if (!rows[0]) throw new NotFoundError(`Activity ${activityId} not found.`);
		},

		/** The contact an activity belongs to, or null when the activity is gone (erased). */
		async getActivityContact(activityId: number): Promise<{ id: number; contactGuid: string } | null> {
			const [row] = await guard(() =>
				db
					.select({ id: activities.id, contactGuid: activities.contactGuid })
					.from(activities)
					.where(eq(activities.id, activityId)),
			);
			return row ?? null;
		},
	};
}

export type ActivityStore = ReturnType<typeof createActivityStore>;

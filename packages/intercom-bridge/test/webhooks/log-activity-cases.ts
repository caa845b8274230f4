/** Log-activity cases: the reference's messages, the columns, the title, and the job in the same transaction. */
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getJobQueue } from "../../src/jobs/job-queue.ts";
import { rowsOf } from "../../src/store/database.ts";
import { activities } from "../../src/store/schema.ts";
import { storeInternals } from "../../src/store/store-internals.ts";
import type { WebhookEnv } from "./webhook-env.ts";
import { jobsFor } from "./webhook-testbed.ts";

const ERRORS: Array<[string, Record<string, unknown>, number, string]> = [
	["no ContactGuid", { ActivityType: "pagevisit" }, 400, "Contact identifier is not provided."],
	[
		"a bad ContactGuid",
		{ ContactGuid: "123", ActivityType: "pagevisit" },
		400,
		"Contact identifier is in incorrect format.",
	],
	["no ActivityType", { ContactGuid: "GUID" }, 400, "Activity type is incorrect or disabled."],
	[
		"an unknown ActivityType",
		{ ContactGuid: "GUID", ActivityType: "nope" },
		400,
		"Activity type is incorrect or disabled.",
	],
	[
		"a disabled ActivityType",
		{ ContactGuid: "GUID", ActivityType: "oldtype" },
		400,
		"Activity type is incorrect or disabled.",
	],
	[
		"an ActivityType that is not a string",
		{ ContactGuid: "GUID", ActivityType: 3 },
		400,
		"ActivityType must be a string.",
	],
	[
		"an unknown contact",
		{ ContactGuid: "5f0c1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b", ActivityType: "pagevisit" },
		404,
		"Contact not found.",
	],
];

export function logActivityCases(env: () => WebhookEnv) {
	describe("log activity", () => {
		it.each(ERRORS)(
			"answers %s with the reference's message and writes nothing",
			async (_n, body, status, message) => {
				const { store, send } = env();
				const contact = await store.createContact();
				const json = Object.fromEntries(
					Object.entries(body).map(([k, v]) => [k, v === "GUID" ? contact.guid : v]),
				);
				const res = await send("/logactivity", { body: json });
				expect(res.status).toBe(status);
				expect(await res.json()).toMatchObject({ error: { message } });
				expect(await store.listActivities(contact.guid)).toHaveLength(0);
			},
		);

		it("refuses an enabled type the site does not accept, with the answer for a disabled type", async () => {
			const { store, send, site } = env();
			if (!(await store.getActivityType("elsewhere"))) {
				await store.addActivityType({ codeName: "elsewhere", displayName: "Another site's type" });
			}
			const contact = await store.createContact();
			const log = (type: string) =>
				send("/logactivity", { body: { ContactGuid: contact.guid, ActivityType: type } });
			await store.setSiteActivityTypes(site.id, ["pagevisit"]);
			try {
				const refused = await log("elsewhere");
				expect(refused.status).toBe(400);
				expect(await refused.json()).toMatchObject({
					error: { code: "VALIDATION_FAILED", message: "Activity type is incorrect or disabled." },
				});
				expect(await store.listActivities(contact.guid)).toHaveLength(0);
				expect((await log("pagevisit")).status).toBe(200);
			} finally {
				await store.setSiteActivityTypes(site.id, null);
			}
			expect((await log("elsewhere")).status).toBe(200);
			expect(await store.listActivities(contact.guid)).toHaveLength(2);
		});

		it("stores value and URL in their own columns, titles it, and queues the links job with it", async () => {
			const { store, send } = env();
			const contact = await store.createContact();
			const res = await send("/logactivity", {
				body: {
					contactGUID: contact.guid,
					activitytype: "pagevisit",
					ActivityValue: "Pricing",
					ActivityURL: "https://shop.example.com/pricing",
					Unknown: { nested: true },
				},
			});
			expect(res.status).toBe(200);
			const json = (await res.json()) as { status: string; activityId: number };
			expect(json.status).toBe("logged");
			const [row] = await storeInternals(store)
				.db.select()
				.from(activities)
				.where(eq(activities.id, json.activityId));
			expect(row).toMatchObject({
				contactGuid: contact.guid,
				value: "Pricing",
				url: "https://shop.example.com/pricing",
				title: "Page visit - Pricing",
				comment: null,
			});
			expect(row?.urlHash).toMatch(/^[0-9a-f]{64}$/);
			expect(await jobsFor(store, json.activityId)).toBe(1);
		});

		it("writes the links job's row as pg-boss's own send would", async () => {
			const { store, send } = env();
			const contact = await store.createContact();
			const res = await send("/logactivity", {
				body: { ContactGuid: contact.guid, ActivityType: "pagevisit" },
			});
			const { activityId } = (await res.json()) as { activityId: number };
			// The same job through pg-boss's send(), under an id no activity has.
			const queue = getJobQueue(store);
			await store.transaction((tx) =>
				queue.enqueueConversationLinks(
					tx,
					{ activityId: -activityId, siteId: 1, externalIds: [contact.guid] },
					{ maxAttempts: 8 },
				),
			);
			const row = async (id: number) => {
				const [r] = rowsOf<Record<string, unknown>>(
					// Every column but those that differ by nature (id, data, the times of writing).
					await storeInternals(
						store,
					).db.execute(sql`select to_jsonb(j) - 'id' - 'data' - 'created_on' - 'start_after'
							- 'keep_until' as row,
						round(extract(epoch from keep_until - start_after)) as keep_s,
						start_after <= now() as due, created_on = start_after as created_at_start,
						jsonb_typeof(data->'externalIds') as ids
						from pgboss.job j where data->>'activityId' = ${String(id)}`),
				);
				return r;
			};
			const ours = await row(activityId);
			expect(ours).toBeDefined();
			expect(ours).toEqual(await row(-activityId));
		});

		it("logs for the surviving contact of a merged GUID, without value or URL, sent with PUT", async () => {
			const { store, send } = env();
			const visitor = await store.createContact();
			const known = await store.createContact();
			await store.mergeContacts(visitor.guid, known.guid);
			const res = await send("/logactivity", {
				method: "PUT",
				body: { ContactGuid: visitor.guid, ActivityType: "pagevisit" },
			});
			expect(res.status).toBe(200);
			const [item] = await store.listActivities(known.guid);
			expect(item?.activity).toMatchObject({ title: "Page visit", value: null, url: null });
		});
	});
}

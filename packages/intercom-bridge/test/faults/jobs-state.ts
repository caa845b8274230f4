/** Reading the conversation-links jobs and the activities they serve, for the fault tests. */
import { sql } from "drizzle-orm";
import type { Store } from "../../src/store/create-store.ts";
import { rowsOf } from "../../src/store/database.ts";
import { storeInternals } from "../../src/store/store-internals.ts";
import { waitFor } from "../harness/wait-for.ts";

/** Per activity: its comment and its jobs' states. */
export async function activityJobs(store: Store) {
	const rows = rowsOf<{ id: string; comment: string | null; states: string[] | null; retries: number }>(
		await storeInternals(store).db.execute(sql`
			select a.id::text as id, a.comment,
				array_agg(j.state::text) filter (where j.id is not null) as states,
				coalesce(max(j.retry_count), 0)::int as retries
			from activities a
			left join pgboss.job j on j.data->>'activityId' = a.id::text
			group by a.id, a.comment`),
	);
	const orphans = rowsOf<{ n: number }>(
		await storeInternals(store).db.execute(sql`
			select count(*)::int as n from pgboss.job j
			where j.name = 'intercom-bridge-conversation-links'
			and not exists (select 1 from activities a where a.id::text = j.data->>'activityId')`),
	);
	return { activities: rows, orphanJobs: orphans[0]?.n ?? 0 };
}

/**
 * Waits until every activity has its links (a comment).
 * @throws after `deadlineMs`, naming the activities still without links and their jobs' states.
 */
export async function waitForLinks(store: Store, deadlineMs: number) {
	const missing = async () => (await activityJobs(store)).activities.filter((a) => !a.comment);
	await waitFor(async () => (await missing()).length === 0, {
		deadlineMs,
		intervalMs: 300,
		describe: async () => {
			const left = await missing();
			const states = left.slice(0, 20).map((a) => `${a.id}:${a.states?.join("+")}/${a.retries} retries`);
			return `links on every activity; ${left.length} still have none (${states.join(", ")})`;
		},
	});
}

/** The conversation-links jobs: state and when a worker claimed it (epoch ms, null if never). */
export async function linkJobs(store: Store) {
	return rowsOf<{ id: string; state: string; startedOn: number | null }>(
		await storeInternals(store).db.execute(sql`
			select id::text as id, state::text as state,
				(extract(epoch from started_on) * 1000)::float8 as "startedOn"
			from pgboss.job where name = 'intercom-bridge-conversation-links'`),
	);
}

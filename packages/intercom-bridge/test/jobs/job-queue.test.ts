/**
 * The job queue on a database pg-boss 10 ran on: pg-boss 12 cannot upgrade that job schema, so
 * the queue refuses to start with what to do instead of pg-boss's own advice (an older pg-boss).
 */
import { afterEach, expect, it } from "vitest";
import { getJobQueue } from "../../src/jobs/job-queue.ts";
import type { Store } from "../../src/store/create-store.ts";
import { storeInternals } from "../../src/store/store-internals.ts";
import { pgliteFactory } from "../harness/databases.ts";

let store: Store | undefined;

afterEach(async () => {
	await store?.close();
});

it("refuses pg-boss 10's job schema and says how to replace it, writing nothing", async () => {
	store = await pgliteFactory.ready();
	const pglite = storeInternals(store).client as { exec(text: string): Promise<unknown> };
	// What pg-boss 10.4 leaves: its version table at schema version 24.
	await pglite.exec(
		"create schema pgboss; create table pgboss.version (version int primary key, maintained_on timestamptz, cron_on timestamptz, monitored_on timestamptz); insert into pgboss.version (version) values (24);",
	);
	const errors: string[] = [];
	const logger = {
		error: (fields: { err?: { message?: string } }) => void errors.push(String(fields.err?.message)),
	} as unknown as Parameters<typeof getJobQueue>[1];
	await expect(getJobQueue(store, logger).ensure()).rejects.toMatchObject({ code: "STORE_UNAVAILABLE" });
	expect(errors.join("\n")).toContain("drop schema pgboss cascade");
	const { rows } = await (
		storeInternals(store).client as { query(text: string): Promise<{ rows: Array<{ version: number }> }> }
	).query("select version from pgboss.version");
	expect(rows).toEqual([{ version: 24 }]);
});

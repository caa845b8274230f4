/**
 * Closing a PostgreSQL store while a connection is stuck (a transaction left open, a query waiting
 * on a lock) ends anyway, at its bound, instead of hanging the shutdown; the stuck query fails and
 * PostgreSQL rolls its transaction back.
 */
import pg from "pg";
import { describe, expect, it } from "vitest";
import { postgresStore } from "../../src/db/postgres.ts";
import { storeInternals } from "../../src/store/store-internals.ts";
import { createPostgresDatabase, TEST_SECRET_KEY } from "../harness/databases.ts";
import { sleep } from "../harness/wait-for.ts";

describe("closing a PostgreSQL store", () => {
	it("cuts connections still in use after closeTimeoutMs", async () => {
		const url = await createPostgresDatabase();
		const store = postgresStore({ connectionString: url, secretKey: TEST_SECRET_KEY, closeTimeoutMs: 300 });
		await store.prepare();
		const site = await store.requireSite("default");
		// A connection checked out and never given back, in a transaction holding a row lock.
		const held = await (storeInternals(store).client as pg.Pool).connect();
		held.on("error", () => {});
		await held.query("begin");
		await held.query("update sites set display_name = 'held' where id = $1", [site.id]);
		// The 30 s is not a timing claim, only what "hung" means: 100 times the bound.
		const outcome = await Promise.race([
			store.close().then(() => "closed"),
			sleep(30_000).then(() => "hung"),
		]);
		expect(outcome).toBe("closed");
		await expect(held.query("select 1")).rejects.toThrow();
		// The transaction was rolled back: another connection sees the old name, and no lock.
		const other = new pg.Client({ connectionString: url });
		await other.connect();
		try {
			await other.query("set lock_timeout = '2s'");
			const { rows } = await other.query("select display_name from sites where id = $1 for update", [
				site.id,
			]);
			expect(rows[0]?.display_name).not.toBe("held");
		} finally {
			await other.end();
		}
	}, 120_000);
});

/**
 * Runs the SQL migrations in `migrations/` (generated from schema.ts) on PGlite or PostgreSQL.
 *
 * Safe when several instances start at once: everything runs in one transaction that first takes
 * a transaction-level advisory lock, so a second migrator waits, then sees the work done. Applied
 * files are recorded with a checksum; an edited, already-applied file stops start-up instead of
 * leaving the schema different from what the code expects.
 */
import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { sql } from "drizzle-orm";
import { IntercomBridgeError } from "../errors.ts";
import { type Db, rowsOf } from "./database.ts";
import { translateDbError } from "./db-errors.ts";

/** Advisory lock key: "intercom-bridge migrations" folded into a bigint-safe number. */
const MIGRATION_LOCK_KEY = 724_311_908_133;

const DEFAULT_DIR = new URL("../../migrations/", import.meta.url);

export interface MigrationFile {
	name: string;
	checksum: string;
	statements: string[];
}

/** Reads the migration files in name order. */
export async function readMigrations(dir: URL = DEFAULT_DIR): Promise<MigrationFile[]> {
	const names = (await readdir(dir)).filter((n) => /^\d{4}_[\w-]+\.sql$/.test(n)).sort();
	return Promise.all(
		names.map(async (name) => {
			const text = await readFile(new URL(name, dir), "utf8");
			return {
				name,
				checksum: createHash("sha256").update(text).digest("hex"),
				statements: text
					.split("--> statement-breakpoint")
					.map((s) => s.trim())
					.filter((s) => s.length > 0),
			};
		}),
	);
}

export interface MigrateResult {
	/** Files applied by this call (empty when the database was up to date). */
	applied: string[];
	/** Every file the database now has. */
	total: number;
}

/**
 * Brings the database schema up to date. Idempotent.
 * @throws IntercomBridgeError MIGRATION_FAILED when a migration fails or an applied file changed.
 */
export async function migrate(db: Db, options: { dir?: URL } = {}): Promise<MigrateResult> {
	const files = await readMigrations(options.dir);
	// Nearly every start finds the schema up to date: one read says so, without the transaction,
	// the lock and the DDL below (on PGlite a commit also syncs the data directory).
	if (await upToDate(db, files)) return { applied: [], total: files.length };
	try {
		return await db.transaction(async (tx) => {
			await tx.execute(sql`select pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`);
			await tx.execute(sql`create table if not exists intercom_bridge_migrations (
				name text primary key,
				checksum text not null,
				applied_at timestamptz not null default now()
			)`);
			const done = new Map(
				rowsOf<{ name: string; checksum: string }>(
					await tx.execute(sql`select name, checksum from intercom_bridge_migrations`),
				).map((r) => [r.name, r.checksum]),
			);
			const applied: string[] = [];
			for (const file of files) {
				const checksum = done.get(file.name);
				if (checksum !== undefined) {
					if (checksum !== file.checksum) {
						throw new IntercomBridgeError(
							"MIGRATION_FAILED",
							`Migration ${file.name} was changed after it was applied. Shipped migrations must not be edited: ` +
								"restore the file and add a new migration with `npm run db:generate`.",
						);
					}
					continue;
				}
				for (const statement of file.statements) await tx.execute(sql.raw(statement));
				await tx.execute(
					sql`insert into intercom_bridge_migrations (name, checksum) values (${file.name}, ${file.checksum})`,
				);
				applied.push(file.name);
			}
			return { applied, total: files.length };
		});
	} catch (err) {
		const translated = translateDbError(err);
		if (translated instanceof IntercomBridgeError) throw translated;
		throw new IntercomBridgeError(
			"MIGRATION_FAILED",
			`Database migration failed: ${(err as Error).message}`,
			{
				cause: err,
			},
		);
	}
}

/**
 * Whether every file is recorded as applied with its checksum. Any doubt (no table yet, a file
 * missing or changed) answers false, and the locked transaction decides and says why.
 */
async function upToDate(db: Db, files: MigrationFile[]): Promise<boolean> {
	let done: Map<string, string>;
	try {
		done = new Map(
			rowsOf<{ name: string; checksum: string }>(
				await db.execute(sql`select name, checksum from intercom_bridge_migrations`),
			).map((r) => [r.name, r.checksum]),
		);
	} catch {
		return false;
	}
	return files.every((file) => done.get(file.name) === file.checksum);
}

/**
 * Statements of the hot paths (the webhooks), written as fixed SQL text and run as named prepared
 * statements: node-postgres parses them once per pooled connection and PostgreSQL can reuse their
 * plan, where a statement built per request is parsed and planned every time (measured: that cost
 * PostgreSQL about four times the CPU of the baseline's statement; see BENCHMARKS.md).
 * PGlite, one connection in this process, keeps them too (see {@link runNamedOnPglite}): its
 * `query()` parses and plans the text on every call, which for the webhooks' statements was most of
 * their cost (docs/decisions/0035-pglite-named-statements.md).
 *
 * Behind PgBouncer in transaction mode, named statements need PgBouncer 1.21 or later with
 * `max_prepared_statements` set (docs/decisions/0005-one-statement-webhooks.md).
 */
import type { PGlite } from "@electric-sql/pglite";
import { type SQL, sql } from "drizzle-orm";
import { type Database, type Queryable, rowsOf } from "./database.ts";

/** A named SQL text with `$1`…`$n` parameters. */
export interface PreparedStatement {
	/** Unique per text within the process; PostgreSQL knows the statement by it on each connection. */
	readonly name: string;
	readonly text: string;
}

interface PoolLike {
	query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
}

/** Defines a statement. The name is prefixed with `intercom_bridge_`. */
export function preparedStatement(name: string, text: string): PreparedStatement {
	return { name: `intercom_bridge_${name}`, text };
}

/** Runs a statement on the database's own client and returns its rows. Errors are the driver's. */
export async function runPrepared<T>(
	database: Pick<Database, "kind" | "client">,
	statement: PreparedStatement,
	values: unknown[],
): Promise<T[]> {
	if (database.kind === "postgres") {
		const pool = database.client as PoolLike;
		return (await pool.query({ name: statement.name, text: statement.text, values })).rows as T[];
	}
	return runNamedOnPglite<T>(database.client as PGlite, statement, values);
}

/**
 * PGlite's module (its protocol's serializer and parser), imported on the first statement run on
 * PGlite, where db/pglite.ts has loaded it already: a static import here loaded PGlite's ~500 KB of
 * JavaScript into `serve` on PostgreSQL too (docs/decisions/0044-serve-start-on-postgres.md).
 */
let pgliteModule: typeof import("@electric-sql/pglite") | undefined;

/**
 * The statements parsed on each PGlite instance (its one session keeps them until it closes), with
 * the calls each has left before it is parsed again.
 */
const parsedOn = new WeakMap<PGlite, Map<string, number>>();

/**
 * Calls of a statement before it is parsed and planned again. A cached generic plan is made again
 * only when the schema changes, and PGlite runs no autovacuum (no ANALYZE), so a plan made while
 * the tables were small would otherwise stay as they grow; one new plan per this many calls costs
 * nothing measurable.
 */
const REPLAN_EVERY = 10_000;

/** SQLSTATE 26000: the session does not know the statement (dropped by DISCARD/DEALLOCATE). */
const UNKNOWN_STATEMENT = "26000";

function concat(parts: Uint8Array[]): Uint8Array {
	const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
	let offset = 0;
	for (const part of parts) {
		out.set(part, offset);
		offset += part.length;
	}
	return out;
}

/**
 * Runs a statement on PGlite as a named prepared statement: parsed once per instance, then each
 * call sends Bind, Describe, Execute and Sync in one message, so PostgreSQL skips parsing and
 * reuses its cached (generic) plan. Measured on the update-contact statement: about 1.3 ms of
 * planning and the parse per call that `query()` spends (it sends an unnamed statement, parsed and
 * described again every time, in five calls into WebAssembly), 5–10 ms against 2–3 ms per call on
 * the busy bench machine. It holds PGlite's own locks as `query()` does, so it never runs inside
 * another caller's transaction, and it writes to the file system after each statement as
 * `query()` does (the same durability).
 */
async function runNamedOnPglite<T>(
	pglite: PGlite,
	statement: PreparedStatement,
	values: unknown[],
): Promise<T[]> {
	pgliteModule ??= await import("@electric-sql/pglite");
	const { parse, protocol } = pgliteModule;
	await pglite._checkReady();
	return pglite._runExclusiveTransaction(() =>
		pglite._runExclusiveQuery(async () => {
			const { serialize } = protocol;
			const params = values.map((v) => (v === null || v === undefined ? null : String(v)));
			const run = async () => {
				let parsed = parsedOn.get(pglite);
				if (!parsed) {
					parsed = new Map();
					parsedOn.set(pglite, parsed);
				}
				const left = parsed.get(statement.name);
				if (left === undefined || left <= 0) {
					// Close first: parsing a name the session still has would fail. Closing an
					// unknown name is no error.
					await pglite.execProtocol(
						concat([
							serialize.close({ type: "S", name: statement.name }),
							serialize.parse({ name: statement.name, text: statement.text }),
							serialize.sync(),
						]),
						{ syncToFs: false },
					);
					parsed.set(statement.name, REPLAN_EVERY);
				} else {
					parsed.set(statement.name, left - 1);
				}
				return pglite.execProtocol(
					concat([
						serialize.bind({ statement: statement.name, values: params }),
						serialize.describe({ type: "P" }),
						serialize.execute({}),
						serialize.sync(),
					]),
					{ syncToFs: false },
				);
			};
			let result: Awaited<ReturnType<typeof run>>;
			try {
				result = await run();
			} catch (err) {
				if ((err as { code?: unknown }).code !== UNKNOWN_STATEMENT) throw err;
				parsedOn.get(pglite)?.delete(statement.name);
				result = await run();
			}
			await pglite.syncToFs();
			const [first] = parse.parseResults(result.messages, pglite.parsers);
			return (first?.rows ?? []) as T[];
		}),
	);
}

/**
 * Runs SQL text with `$1`…`$n` parameters inside a Drizzle transaction (on either driver): the
 * placeholders become Drizzle parameters, so it runs on the transaction's connection.
 */
export async function runInTransaction<T>(
	tx: Queryable,
	text: string,
	values: readonly unknown[],
): Promise<T[]> {
	const parts: SQL[] = [];
	let last = 0;
	for (const match of text.matchAll(/\$(\d+)/g)) {
		parts.push(sql.raw(text.slice(last, match.index)));
		parts.push(sql`${sql.param(values[Number(match[1]) - 1] ?? null)}`);
		last = match.index + match[0].length;
	}
	parts.push(sql.raw(text.slice(last)));
	return rowsOf<T>(await tx.execute(sql.join(parts)));
}

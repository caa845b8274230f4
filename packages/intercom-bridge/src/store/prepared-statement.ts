/**
 * Statements of the hot paths (the webhooks), written as fixed SQL text and run as named prepared
 * statements: node-postgres parses them once per pooled connection and PostgreSQL can reuse their
 * plan, where a statement built per request is parsed and planned every time (measured: that cost
 * PostgreSQL about four times the CPU of the baseline's statement; see BENCHMARKS.md).
 * PGlite, one connection in this process, runs the text as it is.
 *
 * Behind PgBouncer in transaction mode, named statements need PgBouncer 1.21 or later with
 * `max_prepared_statements` set (docs/decisions/0005-one-statement-webhooks.md).
 */
import { type SQL, sql } from "drizzle-orm";
import { type Database, type Queryable, rowsOf } from "./database.ts";

/** A named SQL text with `$1`…`$n` parameters. */
export interface PreparedStatement {
	/** Unique per text within the process; PostgreSQL knows the statement by it on each connection. */
	readonly name: string;
	readonly text: string;
}

interface PgliteLike {
	query(text: string, params?: unknown[]): Promise<{ rows: unknown[] }>;
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
	const pglite = database.client as PgliteLike;
	return (await pglite.query(statement.text, values)).rows as T[];
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

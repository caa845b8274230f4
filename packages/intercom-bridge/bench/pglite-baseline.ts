/**
 * The practical ceilings on PGlite (issue #21): the bare insert loop (pglite-insert-loop.ts, in a
 * process of its own) and the same over HTTP, a bare node:http server with PGlite in its process
 * that reads the body, checks the API key and runs the one UPDATE (update contact) or INSERT (log
 * activity), like the PostgreSQL baseline (baseline.ts). Both open PGlite on a data directory on
 * disk with the default store's options, as the bench's PGlite bridge does.
 */
import { execFile } from "node:child_process";
import { mkdtemp } from "node:fs/promises";
import { createServer, type Server, type ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { PGlite } from "@electric-sql/pglite";
import { drizzle } from "drizzle-orm/pglite";
import { createStore } from "../src/store/create-store.ts";
import type { Db } from "../src/store/database.ts";
import * as schema from "../src/store/schema.ts";
import { seedBenchStore } from "./seed.ts";

/** What the bare insert loop measured. */
export interface InsertLoopResult {
	inserts: number;
	/** Single-row INSERTs per second. */
	rate: number;
	/** CPU (user + system) of the process per insert. */
	cpuMicros: number;
}

/** Runs the bare insert loop in a Node process of its own for `seconds` (after 1 s of warm-up). */
export async function measurePgliteInsertLoop(seconds: number): Promise<InsertLoopResult> {
	const { stdout } = await promisify(execFile)(
		process.execPath,
		["--no-warnings", new URL("./pglite-insert-loop.ts", import.meta.url).pathname],
		{ env: { ...process.env, BENCH_LOOP_SECONDS: String(seconds) } },
	);
	return JSON.parse(stdout.trim().split("\n").at(-1) ?? "{}") as InsertLoopResult;
}

/** A fresh data directory for a bench PGlite (left in the system's temporary directory). */
export async function benchPgliteDir(): Promise<string> {
	return join(await mkdtemp(join(tmpdir(), "intercom-bridge-bench-")), "pglite");
}

/**
 * Starts the bare HTTP baseline on PGlite: the bridge's schema (migrated by the store, then left
 * alone) with the same contacts as the bridge's database (`guids`), and the bridge's API key.
 */
export async function startPgliteBaseline(input: {
	apiKey: string;
	guids: string[];
}): Promise<{ server: Server; port: number }> {
	const pglite = await PGlite.create({ dataDir: await benchPgliteDir() });
	const store = createStore({
		database: {
			db: drizzle(pglite, { schema }) as unknown as Db,
			kind: "pglite",
			location: "bench baseline",
			client: pglite,
			close: () => pglite.close(),
		},
		secretKey: new Uint8Array(32),
	});
	await store.prepare();
	const own = await seedBenchStore(store);
	await pglite.query("insert into contacts (guid, first_name) select unnest($1::uuid[]), 'Bench'", [
		input.guids,
	]);
	const answer = (res: ServerResponse, status: number, body: unknown) => {
		res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
	};
	const server = createServer(async (req, res) => {
		const chunks: Buffer[] = [];
		for await (const chunk of req) chunks.push(chunk as Buffer);
		if (req.headers["x-api-key"] !== input.apiKey) return answer(res, 401, { error: "unauthorized" });
		try {
			const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, string>;
			if (req.url?.endsWith("/updatecontact")) {
				await pglite.query(
					"update contacts set first_name = $1, notes = $2, updated_at = now() where guid = $3",
					[body.ContactFirstName, body.ContactNotes, body.ContactGUID],
				);
				return answer(res, 200, { status: "updated" });
			}
			const { rows } = await pglite.query<{ id: string }>(
				"insert into activities (contact_guid, site_id, type_id, title, value, origin) values ($1, $2, $3, $4, $5, 'intercom-series') returning id",
				[body.ContactGUID, own.siteId, own.typeId, `Page visit - ${body.ActivityValue}`, body.ActivityValue],
			);
			return answer(res, 200, { status: "logged", activityId: rows[0]?.id });
		} catch {
			return answer(res, 503, { error: "unavailable" });
		}
	});
	await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
	const address = server.address();
	return { server, port: typeof address === "object" && address ? address.port : 0 };
}

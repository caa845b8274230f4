/**
 * Shared by the fault tests: a prepared PostgreSQL store with a seeded site, the bridge as a child
 * process, and a load loop that records what every request got back.
 */
import { type ChildProcess, fork } from "node:child_process";
import { once } from "node:events";
import { readFile } from "node:fs/promises";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll } from "vitest";
import { postgresStore } from "../../src/db/postgres.ts";
import type { Store } from "../../src/store/create-store.ts";
import { rowsOf } from "../../src/store/database.ts";
import { storeInternals } from "../../src/store/store-internals.ts";
import {
	createIntercomEmulator,
	type EmulatorServer,
	type IntercomEmulator,
} from "../../src/testing/index.ts";
import { createPostgresDatabase, TEST_SECRET_KEY } from "../harness/databases.ts";
import { waitFor } from "../harness/wait-for.ts";
import { APP_ID, seedSite } from "../webhooks/webhook-testbed.ts";

export const TOKEN = "fault-token-123";

/**
 * The bound of a fault file's beforeAll/afterAll: setting up a database (PGlite compiles and
 * migrates in WebAssembly) takes a minute and more on a busy 2-core machine.
 */
export const HOOK_TIMEOUT_MS = 180_000;

/** What {@link useFaultEnvironment} sets up for a group of fault tests. */
export interface FaultEnvironment {
	emulator: IntercomEmulator;
	listening: EmulatorServer;
	databaseUrl: string;
	store: Store;
	apiKey: string;
	guids: string[];
	/** Bridge processes a test started; killed after the group. */
	processes: BridgeProcess[];
}

/**
 * Registers beforeAll/afterAll for a group: the Intercom emulator listening (it knows every seeded
 * contact, with one conversation each), a fresh PostgreSQL database with the site and `contacts`
 * contacts ({@link faultStore}). After the group: the processes killed, `cleanup`, then the store
 * and the emulator closed. Returns a getter of the environment.
 */
export function useFaultEnvironment(contacts: number, cleanup?: () => Promise<void>): () => FaultEnvironment {
	const emulator = createIntercomEmulator({ tokens: [TOKEN], apps: [{ appId: APP_ID }] });
	const processes: BridgeProcess[] = [];
	let env: FaultEnvironment | undefined;
	let listening: EmulatorServer | undefined;
	let store: Store | undefined;
	beforeAll(async () => {
		listening = await emulator.listen();
		const databaseUrl = await createPostgresDatabase();
		const seeded = await faultStore(databaseUrl, contacts);
		store = seeded.store;
		for (const guid of seeded.guids) {
			emulator.seedContact({ role: "user", external_id: guid });
			emulator.seedConversations(guid, 1);
		}
		env = { emulator, listening, databaseUrl, processes, ...seeded };
	}, HOOK_TIMEOUT_MS);
	afterAll(async () => {
		for (const p of processes) await p.kill();
		await cleanup?.();
		// After a fault the pool may hold broken connections; closing must not fail the group.
		await store?.close().catch(() => {});
		await listening?.close();
	}, HOOK_TIMEOUT_MS);
	return () => {
		if (!env) throw new Error("fault environment not ready");
		return env;
	};
}

/** A store on `url` with the seeded site, `contacts` fresh contacts, and durable commits. */
export async function faultStore(url: string, contacts: number) {
	// The harness runs PostgreSQL with synchronous_commit=off, which may drop the last acknowledged
	// commits on a crash; production runs with it on, and so do these tests (per database beats -c).
	// The setting applies to new sessions only, so the pool that set it is closed first: a pooled
	// connection from before would keep committing without waiting for the WAL.
	const name = new URL(url).pathname.slice(1);
	const setup = postgresStore({ connectionString: url, secretKey: TEST_SECRET_KEY, onPoolError: () => {} });
	await storeInternals(setup).db.execute(sql.raw(`alter database ${name} set synchronous_commit = on`));
	await setup.close();
	const store = postgresStore({ connectionString: url, secretKey: TEST_SECRET_KEY, onPoolError: () => {} });
	await store.prepare();
	const { site, apiKey } = await seedSite(store);
	await store.setSetting(site.id, "accessToken", TOKEN);
	await storeInternals(store).db.execute(
		sql`insert into contacts (guid) select gen_random_uuid() from generate_series(1, ${contacts})`,
	);
	const guids = rowsOf<{ guid: string }>(
		await storeInternals(store).db.execute(sql`select guid from contacts order by guid`),
	).map((r) => r.guid);
	return { store, site, apiKey, guids };
}

/** A bridge service in a child process (see bridge-process.ts and service-process.ts). */
export interface BridgeProcess {
	child: ChildProcess;
	url: string;
	kill(signal?: NodeJS.Signals): Promise<void>;
	/**
	 * Resolves with the first line of its stdout (so far or to come) that matches, or rejects after
	 * `timeoutMs` (default 30 s).
	 */
	waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<string>;
}

/**
 * Starts bridge-process.ts (default) or service-process.ts (the real service) and waits until it
 * listens. `env` adds to the environment (e.g. LOG_LEVEL, JOB_CONCURRENCY).
 */
export async function startBridgeProcess(
	databaseUrl: string,
	emulatorUrl: string,
	options: { script?: "bridge-process.ts" | "service-process.ts"; env?: Record<string, string> } = {},
): Promise<BridgeProcess> {
	const child = fork(new URL(`./${options.script ?? "bridge-process.ts"}`, import.meta.url), {
		execArgv: ["--conditions=dev-source", "--no-warnings"],
		env: {
			...process.env,
			DATABASE_URL: databaseUrl,
			EMULATOR_URL: emulatorUrl,
			INTERCOM_BRIDGE_SECRET_KEY: TEST_SECRET_KEY.toString("base64"),
			...options.env,
		},
		stdio: ["ignore", "pipe", "inherit", "ipc"],
	});
	// Its stdout is read line by line (and must be read, or a chatty child would block on it).
	const lines: string[] = [];
	const waiters = new Set<(line: string) => void>();
	let partial = "";
	child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
		const parts = (partial + chunk).split("\n");
		partial = parts.pop() ?? "";
		for (const line of parts) {
			if (lines.length < 10_000) lines.push(line);
			for (const waiter of waiters) waiter(line);
		}
	});
	const exited = once(child, "exit").then(() => {
		throw new Error("the bridge process exited before it listened");
	});
	const [message] = (await Promise.race([once(child, "message"), exited])) as [{ port: number }];
	exited.catch(() => {});
	return {
		child,
		url: `http://127.0.0.1:${message.port}`,
		async kill(signal = "SIGKILL") {
			if (child.exitCode !== null || child.signalCode !== null) return;
			const gone = once(child, "exit");
			child.kill(signal);
			await gone;
		},
		waitForOutput(pattern, timeoutMs = 30_000) {
			const seen = lines.find((line) => pattern.test(line));
			if (seen !== undefined) return Promise.resolve(seen);
			return new Promise((resolve, reject) => {
				const waiter = (line: string) => {
					if (!pattern.test(line)) return;
					clearTimeout(timer);
					waiters.delete(waiter);
					resolve(line);
				};
				const timer = setTimeout(() => {
					waiters.delete(waiter);
					reject(new Error(`no output line matched ${pattern} within ${timeoutMs} ms`));
				}, timeoutMs);
				waiters.add(waiter);
			});
		},
	};
}

/** What one request of the load got: a status, or `null` when the connection failed. */
export interface Outcome {
	kind: "updatecontact" | "logactivity";
	guid: string;
	value: string;
	status: number | null;
	retryAfter: string | null;
	/** When it was sent and when its answer (or failure) came, in epoch ms. */
	startedAt: number;
	endedAt: number;
	/** Why there was no answer: the socket error's code (ECONNREFUSED, UND_ERR_SOCKET, …) or message. */
	error?: string;
}

/**
 * Sends webhooks from `workers` parallel loops until `stop()` resolves, each request for its own
 * contact (so every acknowledged effect can be checked), spread over `urls` in turn. Values are
 * `${valuePrefix}${n}` (default `v-`): give a second load on the same database another prefix.
 * With `repeat`, a load that has sent one request for each contact goes on with activities for
 * them again (each with its own value, so each is still checked), so that it lasts as long as the
 * test waits for something instead of running out on a fast machine or a long fault.
 */
export function runLoad(input: {
	urls: string[];
	apiKey: string;
	guids: string[];
	workers: number;
	valuePrefix?: string;
	repeat?: boolean;
}) {
	const outcomes: Outcome[] = [];
	const count = input.guids.length;
	let next = 0;
	let running = true;
	let inFlight = 0;
	const worker = async () => {
		while (running && (input.repeat || next < count)) {
			const n = next++;
			const guid = input.guids[n % count] as string;
			// Contacts are updated once only (a later update would overwrite the value to check).
			const kind = n % 2 === 0 || n >= count ? "logactivity" : "updatecontact";
			const value = `${input.valuePrefix ?? "v-"}${n}`;
			const body =
				kind === "logactivity"
					? { ContactGUID: guid, ActivityType: "pagevisit", ActivityValue: value }
					: { ContactGUID: guid, ContactFirstName: value };
			const outcome: Outcome = {
				kind,
				guid,
				value,
				status: null,
				retryAfter: null,
				startedAt: Date.now(),
				endedAt: 0,
			};
			inFlight++;
			try {
				const res = await fetch(`${input.urls[n % input.urls.length]}/intercom/${kind}`, {
					method: "POST",
					headers: { "content-type": "application/json", "x-api-key": input.apiKey },
					body: JSON.stringify(body),
					// Only a bound against hanging forever: far beyond any answer the bridge gives.
					signal: AbortSignal.timeout(60_000),
				});
				await res.arrayBuffer();
				outcome.status = res.status;
				outcome.retryAfter = res.headers.get("retry-after");
			} catch (err) {
				// No answer (connection refused or reset): not acknowledged, so not counted as lost.
				const cause = (err as Error).cause as { code?: string; message?: string } | undefined;
				outcome.error = cause?.code ?? cause?.message ?? (err as Error).message;
			}
			inFlight--;
			outcome.endedAt = Date.now();
			outcomes.push(outcome);
		}
	};
	const loops = Array.from({ length: input.workers }, worker);
	return {
		outcomes,
		/** How many requests are sent and not yet answered (at most `workers`). */
		inFlight: () => inFlight,
		/**
		 * Resolves with the first outcome (so far or to come) that `match` accepts. Rejects after
		 * `deadlineMs` saying what was awaited and what the load got meanwhile.
		 */
		until(what: string, match: (o: Outcome) => boolean, deadlineMs = 60_000): Promise<Outcome> {
			let checked = 0;
			return waitFor(
				() => {
					// Each outcome is looked at once: a long load has tens of thousands.
					const found = outcomes.slice(checked).find(match);
					checked = outcomes.length;
					return found;
				},
				{
					deadlineMs,
					intervalMs: 50,
					describe: () =>
						`${what}; the load got ${JSON.stringify(statusCounts(outcomes))} (${outcomes.length} answers, ${inFlight} under way)`,
				},
			);
		},
		/** Resolves when every contact has had its request (never with `repeat`: use `stop()`). */
		async finished() {
			await Promise.all(loops);
			return outcomes;
		},
		async stop() {
			running = false;
			await Promise.all(loops);
			return outcomes;
		},
	};
}

/** Acknowledged requests whose effect is not in the database. */
export async function lostAcknowledged(store: Store, outcomes: Outcome[]): Promise<Outcome[]> {
	const acked = outcomes.filter((o) => o.status === 200);
	const names = new Map(
		rowsOf<{ guid: string; first_name: string | null }>(
			await storeInternals(store).db.execute(sql`select guid, first_name from contacts`),
		).map((r) => [r.guid, r.first_name]),
	);
	const values = new Map<string, number>();
	for (const r of rowsOf<{ value: string }>(
		await storeInternals(store).db.execute(sql`select value from activities`),
	)) {
		values.set(r.value, (values.get(r.value) ?? 0) + 1);
	}
	return acked.filter((o) =>
		o.kind === "updatecontact" ? names.get(o.guid) !== o.value : values.get(o.value) !== 1,
	);
}

/** Activity values written more than once (each request of a load has its own value): none is expected. */
export async function duplicatedActivities(store: Store): Promise<{ value: string; n: number }[]> {
	return rowsOf<{ value: string; n: number }>(
		await storeInternals(store).db.execute(
			sql`select value, count(*)::int as n from activities group by value having count(*) > 1`,
		),
	);
}

/** Counts of each status (`null`: no answer) in a load's outcomes. */
export function statusCounts(outcomes: Outcome[]): Record<string, number> {
	const counts: Record<string, number> = {};
	for (const o of outcomes) counts[String(o.status)] = (counts[String(o.status)] ?? 0) + 1;
	return counts;
}

/**
 * The TCP sockets of a port on 127.0.0.1, from the kernel's table (/proc/net/tcp): whether it is
 * listened on, and its accepted connections with the bytes received that the server has not read
 * yet. `unread` 0 on every connection means the server has read (and Node has parsed) every
 * request sent to it so far: a condition to wait on where a test needs requests under way.
 */
export async function portSockets(
	port: number,
): Promise<{ listening: boolean; connections: number; unread: number }> {
	const table = await readFile("/proc/net/tcp", "utf8");
	const local = `0100007F:${port.toString(16).toUpperCase().padStart(4, "0")}`;
	const result = { listening: false, connections: 0, unread: 0 };
	for (const line of table.split("\n").slice(1)) {
		const [, address, , state, queues] = line.trim().split(/\s+/);
		if (address !== local) continue;
		if (state === "0A") result.listening = true;
		if (state !== "01") continue; // established
		result.connections++;
		result.unread += Number.parseInt(queues?.split(":")[1] ?? "0", 16);
	}
	return result;
}

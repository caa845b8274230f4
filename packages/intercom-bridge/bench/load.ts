/** Starting benchmark servers in child processes, and running autocannon against them. */
import { type ChildProcess, fork } from "node:child_process";
import { once } from "node:events";
import autocannon, { type AutocannonRequest, type AutocannonResult } from "autocannon";
import type { Seeded } from "./seed.ts";

/** What a server reports about itself. */
export interface ServerStats {
	queries: number;
	recent: string[];
	rss: number;
	/** CPU time (user + system, µs) the server process has used so far. */
	cpuMicros: number;
}

/** A running benchmark server. */
export interface BenchServer {
	child: ChildProcess;
	url: string;
	seeded: Seeded | null;
	cookie: string;
	/** Statements the server's store has sent so far, and its RSS (after two GCs with `gc: true`). */
	stats(gc?: boolean): Promise<ServerStats>;
	/** Sends a command to the server and waits for its answer. */
	command<T>(message: object): Promise<T>;
	stop(): Promise<void>;
}

/** Forks `server.ts` and waits until it listens. */
export async function startServer(env: Record<string, string>): Promise<BenchServer> {
	const child = fork(new URL("./server.ts", import.meta.url), {
		execArgv: [
			"--conditions=dev-source",
			"--expose-gc",
			"--no-warnings",
			...(process.env.BENCH_PROF ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_PROF}`] : []),
		],
		env: { ...process.env, ...env },
		stdio: ["ignore", "inherit", "inherit", "ipc"],
	});
	const [ready] = (await Promise.race([
		once(child, "message"),
		once(child, "exit").then(() => {
			throw new Error("the bench server exited before it was ready");
		}),
	])) as [{ port: number; seeded?: Seeded | null; cookie?: string }];
	return {
		child,
		url: `http://127.0.0.1:${ready.port}`,
		seeded: ready.seeded ?? null,
		cookie: ready.cookie ?? "",
		async stats(gc = false) {
			child.send({ type: gc ? "rss" : "stats" });
			const [message] = (await once(child, "message")) as [ServerStats];
			return message;
		},
		async command<T>(message: object) {
			child.send(message);
			const [answer] = (await once(child, "message")) as [T];
			return answer;
		},
		async stop() {
			// A child killed by a signal has signalCode set and exitCode null.
			if (child.exitCode !== null || child.signalCode !== null) return;
			// SIGINT lets a profiled server (BENCH_PROF) write its profile; otherwise no need to wait.
			child.kill(process.env.BENCH_PROF ? "SIGINT" : "SIGKILL");
			await once(child, "exit");
		},
	};
}

/** One measured run. */
export interface LoadResult {
	rps: number;
	p50: number;
	p99: number;
	requests: number;
	non2xx: number;
	errors: number;
	/** CPU (µs) the server process spent per request, where measured. */
	serverCpuMicros?: number;
	/** CPU (µs) PostgreSQL's processes spent per request, where measured (null: no /proc). */
	postgresCpuMicros?: number | null;
	/** Statements the server's store sent per request under this load (the batches' mean size is its inverse). */
	statementsPerRequest?: number;
}

const summary = (r: AutocannonResult): LoadResult => ({
	rps: r.requests.average,
	p50: r.latency.p50,
	p99: r.latency.p99,
	requests: r.requests.total,
	non2xx: r.non2xx,
	errors: r.errors + r.timeouts,
});

/** Runs autocannon for `seconds` (after a short unmeasured warm-up) or for `amount` requests. */
export async function load(input: {
	url: string;
	request: AutocannonRequest;
	connections?: number;
	seconds?: number;
	amount?: number;
	warmupSeconds?: number;
}): Promise<LoadResult> {
	const base = {
		url: input.url,
		connections: input.connections ?? 50,
		requests: [input.request],
		timeout: 10,
	};
	if (input.warmupSeconds) await autocannon({ ...base, duration: input.warmupSeconds });
	const result = await autocannon(
		input.amount !== undefined
			? { ...base, amount: input.amount }
			: { ...base, duration: input.seconds ?? 8 },
	);
	return summary(result);
}

let counter = 0;

/** A webhook request with a body unique per request (identical bodies would be deduplicated). */
export function webhookRequest(kind: "updatecontact" | "logactivity", apiKey: string, guids: string[]) {
	const request: AutocannonRequest = {
		method: "POST",
		path: `/intercom/${kind}`,
		headers: { "content-type": "application/json", "x-api-key": apiKey },
		setupRequest(req) {
			counter++;
			const guid = guids[counter % guids.length] ?? "";
			const body =
				kind === "updatecontact"
					? { ContactGUID: guid, ContactFirstName: `Ada ${counter}`, ContactNotes: `note ${counter}` }
					: { ContactGUID: guid, ActivityType: "pagevisit", ActivityValue: `page ${counter}` };
			return { ...req, body: JSON.stringify(body) };
		},
	};
	return request;
}

/**
 * CPU time of the PostgreSQL server's processes, read from /proc (Linux), so a benchmark can say
 * where a request's CPU goes: the bench server, or the database.
 */
import { readdir, readFile } from "node:fs/promises";

/** Clock ticks per second of /proc/<pid>/stat times: 100 on every Linux the bench runs on. */
const TICKS_PER_SECOND = 100;

/** CPU ticks (user + system) so far of each live PostgreSQL process, by pid; null without /proc. */
export async function postgresCpuSnapshot(): Promise<Map<string, number> | null> {
	let pids: string[];
	try {
		pids = (await readdir("/proc")).filter((name) => /^\d+$/.test(name));
	} catch {
		return null;
	}
	const ticks = new Map<string, number>();
	await Promise.all(
		pids.map(async (pid) => {
			try {
				const cmdline = await readFile(`/proc/${pid}/cmdline`, "latin1");
				// Backends retitle themselves "postgres: …"; the postmaster keeps its path.
				if (!cmdline.startsWith("postgres") && !cmdline.includes("/bin/postgres\0")) return;
				const stat = await readFile(`/proc/${pid}/stat`, "latin1");
				// Fields after the command name (which may hold spaces) start at ") "; utime, stime are 14, 15.
				const fields = stat.slice(stat.lastIndexOf(") ") + 2).split(" ");
				ticks.set(pid, Number(fields[11]) + Number(fields[12]));
			} catch {
				// The process ended while being read.
			}
		}),
	);
	return ticks;
}

/**
 * CPU (µs) PostgreSQL spent between two snapshots. Processes are compared one by one: one that
 * ended in between (an idle pool connection closing) would otherwise count as negative time.
 */
export function postgresCpuMicrosBetween(before: Map<string, number>, after: Map<string, number>): number {
	let ticks = 0;
	for (const [pid, t] of after) ticks += t - (before.get(pid) ?? 0);
	return (ticks * 1_000_000) / TICKS_PER_SECOND;
}

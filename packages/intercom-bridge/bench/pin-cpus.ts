/**
 * Pins processes to CPUs with `taskset` (util-linux), so that for the page measurement the server
 * under test has one core and the load generator the other. Unpinned, the scheduler moves both
 * around two shared cores and the same page measured twice differs by up to ±25%; pinned, the
 * server is what saturates, which is the throughput the page target is about.
 */
import { execFileSync } from "node:child_process";
import { availableParallelism } from "node:os";

/** Pins each pid (all its threads) to its CPU list; returns how to undo it, or null where it cannot. */
export function pinProcesses(pins: Array<{ pid: number; cpus: string }>): (() => void) | null {
	const all = `0-${availableParallelism() - 1}`;
	if (availableParallelism() < 2) return null;
	const set = (pid: number, cpus: string) =>
		execFileSync("taskset", ["-a", "-cp", cpus, String(pid)], { stdio: "ignore" });
	try {
		for (const { pid, cpus } of pins) set(pid, cpus);
	} catch {
		// No taskset (not Linux, or util-linux missing): measure unpinned and say so.
		for (const { pid } of pins) {
			try {
				set(pid, all);
			} catch {}
		}
		return null;
	}
	return () => {
		for (const { pid } of pins) {
			try {
				set(pid, all);
			} catch {}
		}
	};
}

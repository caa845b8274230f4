/**
 * Gives the memory of a busy spell back to the operating system once the process goes quiet
 * (docs/decisions/0041-serve-memory-after-load.md). V8 keeps the pages its heap freed in a pool
 * for reuse, so after a burst of webhooks the process stays at the heap's high-water mark (70–90 MB
 * above its idle size on PostgreSQL) although the heap itself is back to ~25 MB. Only a
 * memory-reducing collection empties that pool, and V8's own memory reducer did not run in a quiet
 * `serve` (measured). So four times a second this watches two cheap numbers: when the event loop
 * was nearly idle over the last quarter second and RSS grew by more than `growthBytes` since the last release,
 * it runs one memory-reducing full collection (tens of ms, once per busy spell).
 */
import { performance } from "node:perf_hooks";
import v8 from "node:v8";
import vm from "node:vm";

/** How far RSS may grow above its last low point before a quiet process gives memory back: 32 MB. */
export const RELEASE_GROWTH_BYTES = 32 * 1024 * 1024;
/** Event-loop utilisation below which a check's interval counts as quiet: 5%. */
export const QUIET_UTILIZATION = 0.05;
/**
 * How often the process looks, and how long it must have been quiet: 250 ms. With 1 s the release
 * came 2–3.5 s after a burst ended (one busy second more for any collection or timer in it), long
 * after the service went quiet; a quarter second gives the memory back within about half a second.
 */
export const RELEASE_CHECK_MS = 250;

export interface ReleaseMemoryOptions {
	/** Default RELEASE_GROWTH_BYTES. */
	growthBytes?: number;
	/** Default QUIET_UTILIZATION. */
	quietUtilization?: number;
	/** Default RELEASE_CHECK_MS. */
	intervalMs?: number;
	/** The process's RSS (tests pass their own). Default process.memoryUsage.rss. */
	rss?: () => number;
	/** Event-loop utilisation since the previous call, 0–1 (tests pass their own). */
	utilization?: () => number;
	/** Runs a memory-reducing full collection (tests pass their own). Default: V8's "last resort" GC. */
	collect?: () => void;
}

/** Watching for a quiet spell; `stop()` ends it, `releases` counts the collections run. */
export interface QuietMemoryRelease {
	readonly releases: number;
	stop(): void;
}

type GcFunction = (options: { type: "major"; execution: "sync"; flavor: "last-resort" }) => void;

/**
 * V8's memory-reducing collection ("last resort": the one a low-memory notification runs, which
 * also empties the page pool). Node exposes it only as `gc()` under --expose-gc; turning the flag on
 * for one new context hands us that function without putting `gc` on this process's globals.
 */
function lastResortCollection(): () => void {
	const exposed = typeof (globalThis as { gc?: unknown }).gc === "function";
	if (!exposed) v8.setFlagsFromString("--expose-gc");
	const gc = vm.runInNewContext("gc") as GcFunction;
	if (!exposed) v8.setFlagsFromString("--no-expose-gc");
	return () => gc({ type: "major", execution: "sync", flavor: "last-resort" });
}

function utilizationSinceLastCall(): () => number {
	let last = performance.eventLoopUtilization();
	return () => {
		const now = performance.eventLoopUtilization();
		const delta = performance.eventLoopUtilization(now, last);
		last = now;
		return delta.utilization;
	};
}

/**
 * Starts watching; the timer does not keep the process alive. The first quiet spell after the
 * start runs one collection too: it gives back what loading the modules took.
 */
export function releaseMemoryWhenQuiet(options: ReleaseMemoryOptions = {}): QuietMemoryRelease {
	const growth = options.growthBytes ?? RELEASE_GROWTH_BYTES;
	const quiet = options.quietUtilization ?? QUIET_UTILIZATION;
	const rss = options.rss ?? (() => process.memoryUsage.rss());
	const utilization = options.utilization ?? utilizationSinceLastCall();
	let collect = options.collect;
	/** RSS after the last collection, lowered by any smaller reading since; null before the first. */
	let low: number | null = null;
	let releases = 0;
	const timer = setInterval(() => {
		if (utilization() >= quiet) return;
		const now = rss();
		if (low !== null && now - low <= growth) {
			low = Math.min(low, now);
			return;
		}
		try {
			collect ??= lastResortCollection();
			collect();
		} catch (err) {
			// Only the memory is at stake: say so once and stop watching.
			clearInterval(timer);
			process.emitWarning(
				`intercom-bridge: could not run a memory-reducing collection (${(err as Error).message}); the service keeps working but no longer gives memory back when quiet`,
			);
			return;
		}
		releases++;
		low = rss();
	}, options.intervalMs ?? RELEASE_CHECK_MS);
	timer.unref();
	return {
		get releases() {
			return releases;
		},
		stop: () => clearInterval(timer),
	};
}

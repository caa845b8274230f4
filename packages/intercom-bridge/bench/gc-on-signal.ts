/**
 * Preloaded (`--import`, with `--expose-gc`) into every process bench/footprint.ts measures, the
 * bare ones and the service alike: SIGUSR2 runs two full collections (the first may only schedule
 * finalisers), so RSS is read without the garbage a quiet process has not collected yet.
 * With `BENCH_MEMORY_REPORT=<file>` it then appends one JSON line of where the memory is
 * (process.memoryUsage and V8's heap spaces, bytes) to that file, for bench/semi-space.ts.
 */
import { appendFileSync } from "node:fs";
import v8 from "node:v8";

process.on("SIGUSR2", () => {
	globalThis.gc?.();
	globalThis.gc?.();
	const report = process.env.BENCH_MEMORY_REPORT;
	if (!report) return;
	const spaces = Object.fromEntries(
		v8.getHeapSpaceStatistics().map((s) => [s.space_name, { size: s.space_size, used: s.space_used_size }]),
	);
	const code = v8.getHeapCodeStatistics();
	appendFileSync(report, `${JSON.stringify({ ...process.memoryUsage(), spaces, code })}\n`);
});

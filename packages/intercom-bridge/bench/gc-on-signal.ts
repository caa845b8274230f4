/**
 * Preloaded (`--import`, with `--expose-gc`) into every process bench/footprint.ts measures, the
 * bare ones and the service alike: SIGUSR2 runs two full collections (the first may only schedule
 * finalisers), so RSS is read without the garbage a quiet process has not collected yet.
 */
process.on("SIGUSR2", () => {
	globalThis.gc?.();
	globalThis.gc?.();
});

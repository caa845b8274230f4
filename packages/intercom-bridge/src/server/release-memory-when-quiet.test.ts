import { afterEach, describe, expect, it, vi } from "vitest";
import { RELEASE_GROWTH_BYTES, releaseMemoryWhenQuiet } from "./release-memory-when-quiet.ts";

const MB = 1024 * 1024;

describe("releaseMemoryWhenQuiet", () => {
	afterEach(() => {
		vi.useRealTimers();
	});

	/** A watcher on scripted readings: each second takes the next utilisation; RSS is `state.rss`. */
	function scripted(utilizations: number[], state: { rss: number }) {
		const collect = vi.fn(() => {
			state.rss = 100 * MB;
		});
		const watcher = releaseMemoryWhenQuiet({
			intervalMs: 1000,
			rss: () => state.rss,
			utilization: () => utilizations.shift() ?? 0,
			collect,
		});
		return { collect, watcher };
	}

	it("collects once in the first quiet second after the start, then only after RSS grew by more than the limit", () => {
		vi.useFakeTimers();
		const state = { rss: 180 * MB };
		const { collect, watcher } = scripted([0.9, 0.01, 0.01], state);
		vi.advanceTimersByTime(1000); // busy
		expect(collect).not.toHaveBeenCalled();
		vi.advanceTimersByTime(1000); // quiet: the start's collection
		expect(collect).toHaveBeenCalledTimes(1);
		state.rss = 100 * MB + RELEASE_GROWTH_BYTES; // grew, but not by more than the limit
		vi.advanceTimersByTime(5000);
		expect(collect).toHaveBeenCalledTimes(1);
		watcher.stop();
	});

	it("waits for a quiet second before it gives a busy spell's growth back", () => {
		vi.useFakeTimers();
		const state = { rss: 100 * MB };
		const { collect, watcher } = scripted([0, 0.8, 0.8, 0.8, 0.02], state);
		vi.advanceTimersByTime(1000);
		expect(collect).toHaveBeenCalledTimes(1);
		state.rss = 200 * MB;
		vi.advanceTimersByTime(3000); // busy seconds: no collection under load
		expect(collect).toHaveBeenCalledTimes(1);
		vi.advanceTimersByTime(1000); // quiet again
		expect(collect).toHaveBeenCalledTimes(2);
		expect(watcher.releases).toBe(2);
		watcher.stop();
		state.rss = 300 * MB;
		vi.advanceTimersByTime(5000);
		expect(collect).toHaveBeenCalledTimes(2);
	});

	it("measures growth from the lowest RSS seen since the last collection", () => {
		vi.useFakeTimers();
		const state = { rss: 100 * MB };
		const { collect, watcher } = scripted([], state);
		vi.advanceTimersByTime(1000);
		state.rss = 90 * MB; // the allocator gave some back by itself
		vi.advanceTimersByTime(1000);
		state.rss = 90 * MB + RELEASE_GROWTH_BYTES + 1;
		vi.advanceTimersByTime(1000);
		expect(collect).toHaveBeenCalledTimes(2);
		watcher.stop();
	});

	it("stops watching, with one warning, when the collection cannot run", () => {
		vi.useFakeTimers();
		const warn = vi.spyOn(process, "emitWarning").mockImplementation(() => {});
		const collect = vi.fn(() => {
			throw new Error("no gc");
		});
		const watcher = releaseMemoryWhenQuiet({ utilization: () => 0, rss: () => 500 * MB, collect });
		vi.advanceTimersByTime(5000);
		expect(collect).toHaveBeenCalledTimes(1);
		expect(watcher.releases).toBe(0);
		expect(warn).toHaveBeenCalledTimes(1);
		expect(String(warn.mock.calls[0]?.[0])).toContain("no longer gives memory back");
		warn.mockRestore();
	});

	it("runs V8's memory-reducing collection by default without exposing gc to the process", () => {
		vi.useFakeTimers();
		const hadGc = typeof (globalThis as { gc?: unknown }).gc === "function";
		const watcher = releaseMemoryWhenQuiet({ utilization: () => 0 });
		vi.advanceTimersByTime(1000);
		expect(watcher.releases).toBe(1);
		expect(typeof (globalThis as { gc?: unknown }).gc === "function").toBe(hadGc);
		watcher.stop();
	});
});

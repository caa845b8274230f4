import { describe, expect, it } from "vitest";
import { setBounded, singleFlight } from "./cache-helpers.ts";

describe("setBounded", () => {
	it("keeps at most `max` entries, dropping the oldest inserted first", () => {
		const map = new Map<string, number>();
		for (let i = 0; i < 10; i++) setBounded(map, 3, `k${i}`, i);
		expect([...map.keys()]).toEqual(["k7", "k8", "k9"]);
	});

	it("replaces an existing key without dropping another", () => {
		const map = new Map([
			["a", 1],
			["b", 2],
		]);
		setBounded(map, 2, "a", 10);
		expect([...map]).toEqual([
			["a", 10],
			["b", 2],
		]);
	});
});

describe("singleFlight", () => {
	it("runs one load for concurrent callers and forgets it once settled", async () => {
		const flights = new Map<string, Promise<number>>();
		let loads = 0;
		let release = (_: number) => {};
		const load = () => {
			loads++;
			return new Promise<number>((resolve) => {
				release = resolve;
			});
		};
		const waiting = [1, 2, 3].map(() => singleFlight(flights, "k", load));
		expect(loads).toBe(1);
		expect(singleFlight(new Map(), "k", async () => 7)).not.toBe(waiting[0]); // maps are separate
		release(42);
		expect(await Promise.all(waiting)).toEqual([42, 42, 42]);
		expect(flights.size).toBe(0);
		await singleFlight(flights, "k", async () => 1);
		expect(flights.size).toBe(0);
	});

	it("does not keep a failed load: the next caller loads again", async () => {
		const flights = new Map<string, Promise<number>>();
		await expect(singleFlight(flights, "k", () => Promise.reject(new Error("down")))).rejects.toThrow("down");
		expect(flights.size).toBe(0);
		expect(await singleFlight(flights, "k", async () => 5)).toBe(5);
	});

	it("leaves a newer load alone when an older one settles after the map was cleared", async () => {
		const flights = new Map<string, Promise<number>>();
		let releaseOld = (_: number) => {};
		const old = singleFlight(flights, "k", () => new Promise<number>((r) => (releaseOld = r)));
		flights.clear();
		const newer = singleFlight(flights, "k", () => new Promise<number>(() => {}));
		releaseOld(1);
		await old;
		expect(flights.get("k")).toBe(newer);
	});
});

/** Small helpers for in-memory caches (the store's and the bridge's): a size bound, and one read for many waiters. */

/**
 * Sets `key` in a map that keeps at most `max` entries: when a new key would exceed it, the oldest
 * inserted entry is dropped first. Memory stays bounded however many keys visitors send.
 */
export function setBounded<K, V>(map: Map<K, V>, max: number, key: K, value: V): void {
	if (!map.has(key) && map.size >= max) map.delete(map.keys().next().value as K);
	map.set(key, value);
}

/**
 * `load()` once for concurrent callers with the same key: when a cache expires under load, the
 * requests in flight share one read instead of each making its own. The entry is gone once the
 * read settles (a failed read is not kept), so the map only holds reads in flight.
 */
export function singleFlight<T>(
	flights: Map<string, Promise<T>>,
	key: string,
	load: () => Promise<T>,
): Promise<T> {
	const running = flights.get(key);
	if (running) return running;
	const started = load();
	flights.set(key, started);
	const done = () => {
		if (flights.get(key) === started) flights.delete(key);
	};
	started.then(done, done);
	return started;
}

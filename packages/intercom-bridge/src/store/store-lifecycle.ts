/**
 * What runs when a store closes, before its database does: for what another module started on the
 * store's connection (the job queue's pg-boss sender keeps a poll timer that would otherwise hold
 * the process open after `store.close()`).
 */

const closeHooks = new WeakMap<object, Array<() => Promise<void>>>();

/** The store itself for a view of it (`Object.create(store)`, see storeViewWith). */
function ownerOf(store: object): object {
	let at = store;
	for (let up = Object.getPrototypeOf(at); up && up !== Object.prototype; up = Object.getPrototypeOf(at))
		at = up;
	return at;
}

/** Runs `hook` when `store` closes, before its database. A failing hook is ignored: closing must finish. */
export function onStoreClose(store: object, hook: () => Promise<void>): void {
	const owner = ownerOf(store);
	const hooks = closeHooks.get(owner) ?? [];
	hooks.push(hook);
	closeHooks.set(owner, hooks);
}

/** Runs and forgets the close hooks of `store` (createStore's close calls this). */
export async function runStoreCloseHooks(store: object): Promise<void> {
	const owner = ownerOf(store);
	const hooks = closeHooks.get(owner) ?? [];
	closeHooks.delete(owner);
	await Promise.all(hooks.map((hook) => hook().catch(() => {})));
}

/**
 * The setup the tests of Intercom jobs share (contact sync, backfill, withdrawal): a fresh Intercom
 * emulator that takes the test token and knows the test workspace, a fresh ready store, the
 * default site connected to that workspace, and a bridge calling the emulator.
 */
import { createIntercomBridge, type IntercomBridge } from "../../src/bridge/create-intercom-bridge.ts";
import { createLogger } from "../../src/logger.ts";
import type { Store } from "../../src/store/create-store.ts";
import type { Site } from "../../src/store/site-store.ts";
import { createIntercomEmulator, type IntercomEmulator } from "../../src/testing/index.ts";
import { TOKEN } from "../faults/fault-env.ts";
import type { StoreFactory } from "./databases.ts";

/** The emulator's workspace (the site's Messenger app id). */
export const EMULATOR_APP_ID = "abc123";

/**
 * A fresh emulator (it takes {@link TOKEN} and has the app {@link EMULATOR_APP_ID}) and a fresh
 * ready store of `factory`, with `consents` (code name → display name) added.
 */
export async function emulatorSite(
	factory: StoreFactory,
	options: { consents?: Record<string, string> } = {},
): Promise<{ emulator: IntercomEmulator; store: Store }> {
	const emulator = createIntercomEmulator({ tokens: [TOKEN], apps: [{ appId: EMULATOR_APP_ID }] });
	const store = await factory.ready();
	for (const [codeName, displayName] of Object.entries(options.consents ?? {}))
		await store.addConsent({ codeName, displayName });
	return { emulator, store };
}

/** Connects the default site to the emulator's workspace (enabled, app id, token), `settings` over that. */
export async function connectSite(store: Store, settings: Record<string, string> = {}): Promise<Site> {
	const site = await store.requireSite("default");
	const all = { enabled: "true", appId: EMULATOR_APP_ID, accessToken: TOKEN, ...settings };
	for (const [k, v] of Object.entries(all)) await store.setSetting(site.id, k, v);
	return site;
}

/** The default site connected and syncing contacts, its data sent always; `settings` over that. */
export function syncingSite(store: Store, settings: Record<string, string> = {}): Promise<Site> {
	return connectSite(store, { sendContactData: "always", syncContacts: "true", ...settings });
}

/** A bridge on `store` whose Messenger and calls go to the emulator, logging nothing. */
export function emulatorBridge(store: Store, emulator: IntercomEmulator): IntercomBridge {
	return createIntercomBridge({
		store,
		logger: createLogger({ level: "silent" }),
		endpoints: (r) => emulator.endpoints(r),
	});
}

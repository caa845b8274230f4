/**
 * The app's one bridge, configured from the environment as a deployed app would be:
 *
 * - the store: `DATABASE_URL` (PostgreSQL) or the embedded database in `INTERCOM_BRIDGE_DATA_DIR`
 *   (default `./.data`), with `INTERCOM_BRIDGE_SECRET_KEY` sealing stored secrets;
 * - the default site's settings, when set: `INTERCOM_APP_ID` (switches the Messenger on),
 *   `INTERCOM_IDENTITY_SECRET`, `INTERCOM_IDENTITY_MODE` (hash or jwt), `INTERCOM_REGION`,
 *   `INTERCOM_SEND_CONTACT_DATA` and `INTERCOM_WEBHOOK_API_KEY` (the key Series send);
 * - `INTERCOM_EMULATOR_URL`: a local Intercom emulator (`npx intercom-bridge fake-intercom`)
 *   instead of the real Intercom, for trying it offline.
 *
 * Opened on the first request, not at import: `next build` imports the routes to analyse them, and
 * the embedded database admits one process at a time.
 */
import { createIntercomBridge, type IntercomBridge, intercomEndpoints, type Region } from "intercom-bridge";
import { openStoreFromEnv } from "intercom-bridge/config";

const SETTINGS_FROM_ENV = {
	appId: "INTERCOM_APP_ID",
	identityVerificationSecret: "INTERCOM_IDENTITY_SECRET",
	identityMode: "INTERCOM_IDENTITY_MODE",
	region: "INTERCOM_REGION",
	sendContactData: "INTERCOM_SEND_CONTACT_DATA",
	webhookApiKey: "INTERCOM_WEBHOOK_API_KEY",
} as const;

/** The emulator serves every region under a path prefix, and the widget at `/widget/{app_id}`. */
function emulatorEndpoints(url: string) {
	const origin = url.replace(/\/+$/, "");
	return (region: Region) => ({
		api: `${origin}/${region}`,
		messenger: `${origin}/${region}/iam`,
		app: `${origin}/${region}/app`,
		widget: `${origin}/widget`,
	});
}

async function openBridge(): Promise<IntercomBridge> {
	const env = process.env;
	const store = await openStoreFromEnv();
	await store.prepare();
	const site = await store.requireSite("default");
	const current = await store.getSettings(site.id);
	const wanted: Record<string, string> = {};
	for (const [key, name] of Object.entries(SETTINGS_FROM_ENV)) {
		const value = env[name]?.trim();
		if (value) wanted[key] = value;
	}
	if (wanted.appId) wanted.enabled = "true";
	// Only what differs is written: every write is audited, and a new webhook key retires the old one.
	for (const [key, value] of Object.entries(wanted)) {
		if (String(current[key as keyof typeof current] ?? "") !== value)
			await store.setSetting(site.id, key, value);
	}
	const emulator = env.INTERCOM_EMULATOR_URL?.trim();
	return createIntercomBridge({
		store,
		endpoints: emulator ? emulatorEndpoints(emulator) : intercomEndpoints,
		trustProxy: env.TRUST_PROXY === "true",
	});
}

// On globalThis, not in a module variable: Next.js loads this file once for the route handlers and
// once for the pages (separate bundles), and one process may hold the embedded database only once.
const KEY = Symbol.for("examples/next intercom bridge");
const holder = globalThis as typeof globalThis & { [KEY]?: Promise<IntercomBridge> };

/** The bridge, opened once per server process. */
export function getBridge(): Promise<IntercomBridge> {
	holder[KEY] ??= openBridge().catch((err: unknown) => {
		holder[KEY] = undefined; // the next request tries again (e.g. after the database came back)
		throw err;
	});
	return holder[KEY];
}

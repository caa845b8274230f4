/**
 * Starts the whole demo: the coffee-shop site, the bridge's routes (Messenger settings, consents,
 * webhooks), the admin console, the background job runner and — unless told to use the real
 * Intercom — the Intercom emulator with its "simulate Intercom" page, all on the embedded
 * database (or DATABASE_URL).
 */
import { join } from "node:path";
import { Hono } from "hono";
import {
	createIntercomBridge,
	createLogger,
	type EndpointsResolver,
	intercomEndpoints,
	type Store,
} from "intercom-bridge";
import { announceConsoleUrl, createAdminApp, createAdminGate, ensureFirstAdmin } from "intercom-bridge/admin";
import { DEFAULT_DATA_DIR, openStoreFromEnv } from "intercom-bridge/config";
import { createJobRunner } from "intercom-bridge/jobs";
import { parsePort, serviceHealth, startServer } from "intercom-bridge/server";
import { createIntercomEmulator, createSimulatorRoutes, type EmulatorServer } from "intercom-bridge/testing";
import { CONTACT_FORM_ACTIVITY, createDemoPages } from "./demo-pages.ts";
import { seedDemo } from "./seed-demo.ts";

/** The emulator's state file, in the data directory beside the embedded database. */
export const EMULATOR_STATE_FILE = "intercom-emulator.json";

export interface DemoOptions {
	env: Record<string, string | undefined>;
	/** `emulator` (default) or `real`: use your Intercom workspace, configured in the admin console. */
	intercom?: "emulator" | "real";
	print?: (line: string) => void;
	/** Log level (default from LOG_LEVEL, else "warn" so the console stays readable). */
	logLevel?: string;
	/**
	 * Whether `print` reaches a terminal: only then is the first administrator's password printed,
	 * else it is written to a file in the data directory. Default `process.stdout.isTTY`.
	 */
	isTerminal?: boolean;
}

export interface RunningDemo {
	url: string;
	emulatorUrl: string | null;
	store: Store;
	close(): Promise<void>;
}

export async function startDemo(options: DemoOptions): Promise<RunningDemo> {
	const { env } = options;
	const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`));
	const mode = options.intercom ?? "emulator";
	const port = parsePort(env.PORT);
	const host = env.HOST?.trim() || "127.0.0.1";
	const logger = createLogger({ level: options.logLevel ?? env.LOG_LEVEL ?? "warn" });
	const store = await openStoreFromEnv(env, {
		onPoolError: (err) => logger.warn({ err: err.message }, "database pool error"),
	});
	let emulatorServer: EmulatorServer | null = null;
	try {
		await store.prepare();
		await seedDemo(store, { emulator: mode === "emulator" });
		const site = await store.requireSite("default");
		const settings = await store.getSettings(site.id);

		let endpoints: EndpointsResolver = intercomEndpoints;
		let emulator: ReturnType<typeof createIntercomEmulator> | null = null;
		if (mode === "emulator") {
			emulator = createIntercomEmulator({
				// Visitors, contacts and conversations survive a restart, so the simulator still lists
				// them and the links in activities still open (docs/decisions/0021).
				stateFile: join(env.INTERCOM_BRIDGE_DATA_DIR?.trim() || DEFAULT_DATA_DIR, EMULATOR_STATE_FILE),
				onStateFileError: (err) =>
					logger.warn({ err: err.message }, "could not save the Intercom emulator's state file"),
				tokens: settings.accessToken ? [settings.accessToken] : [],
				apps: [
					{
						appId: settings.appId ?? "coffeedemo",
						identitySecret: settings.identityVerificationSecret ?? undefined,
					},
				],
				oauthClients:
					settings.clientId && settings.clientSecret
						? [{ clientId: settings.clientId, clientSecret: settings.clientSecret }]
						: [],
			});
			const emulatorPort = env.EMULATOR_PORT ? parsePort(env.EMULATOR_PORT) : port === 0 ? 0 : port + 1;
			emulatorServer = await emulator.listen({ port: emulatorPort, host: "127.0.0.1" });
			const running = emulator;
			endpoints = (region) => running.endpoints(region);
		}

		const bridge = createIntercomBridge({
			store,
			logger,
			endpoints,
			webhooks: { customFields: { ContactCoffeePreference: { field: "coffeePreference", maxLength: 50 } } },
		});
		const jobs = createJobRunner({
			store,
			logger,
			endpoints,
			pollingIntervalSeconds: 1,
			retryDelaySeconds: 5,
		});
		await jobs.start();

		let serverUrl = `http://127.0.0.1:${port}`;
		const app = new Hono();
		// The simulator fires webhooks with the site's real API key: administrators only. Sign-in
		// brings them back to it.
		const adminOptions = { store, logger, endpoints, returnPaths: emulator ? ["/simulate-intercom"] : [] };
		app.route("/", createAdminApp(adminOptions));
		if (emulator) {
			const sim = emulator;
			app.route(
				"/simulate-intercom",
				createSimulatorRoutes({
					emulator: sim,
					// The port is known only once the server listens (PORT=0 picks one).
					webhookBaseUrl: () => `${serverUrl}/intercom`,
					apiKey: async () => (await store.getSettings(site.id)).webhookApiKey,
					// The contact form's type is the site's own, not one a Series logs.
					activityTypes: async () =>
						(await store.listActivityTypes()).filter((t) => t.codeName !== CONTACT_FORM_ACTIVITY),
					guard: createAdminGate(adminOptions),
					contactName: async (guid) => {
						const contact = await store.getContact(guid);
						return [contact?.firstName, contact?.lastName].filter(Boolean).join(" ") || null;
					},
					contactUrl: (guid) => `/admin/contacts/${encodeURIComponent(guid)}`,
					clientSecret: async () => (await store.getSettings(site.id)).clientSecret,
					topicsUrl: `/admin/sites/${site.codeName}/webhooks#topics-h`,
					links: [
						{ label: "← Brew & Byte site", href: "/" },
						{ label: "Admin console", href: "/admin" },
					],
				}),
			);
		}
		app.route(
			"/",
			createDemoPages(bridge, {
				recordMessage: async (contactGuid, message) => {
					await store
						.recordActivity({
							contactGuid,
							siteId: site.id,
							typeCodeName: CONTACT_FORM_ACTIVITY,
							comment: message,
						})
						// An administrator may have disabled the type: the visitor's form still succeeds.
						.catch((err: Error) => logger.warn({ err: err.message }, "contact form: activity not recorded"));
				},
			}),
		);

		const server = await startServer({
			store,
			logger,
			port,
			host,
			app,
			health: serviceHealth(bridge, jobs),
			// The overview's webhook counts of the last seconds, written before the store closes.
			beforeStoreClose: () => bridge.flushWebhookCounts(),
		});
		const url = server.url;
		serverUrl = url;
		// `intercom-bridge settings …` beside the running demo names this console instead.
		await announceConsoleUrl(store, `${url}/admin`).catch(() => {});
		print("");
		print(`Brew & Byte demo    ${url}/`);
		print(`Admin console       ${url}/admin`);
		if (emulator && emulatorServer) {
			print(`Simulate Intercom   ${url}/simulate-intercom   (sign in as an administrator)`);
			print(`Intercom emulator   ${emulatorServer.url}`);
		} else {
			print(
				"Intercom            your real workspace: set it up in the admin console (Intercom setup, Get token).",
			);
		}
		print(`Database            ${store.kind} (${store.location})`);
		await ensureFirstAdmin(store, print, {
			isTerminal: options.isTerminal,
			dataDir: env.INTERCOM_BRIDGE_DATA_DIR?.trim() || undefined,
		});
		print("Press Ctrl-C to stop.");

		const closeEmulator = emulatorServer;
		return {
			url,
			emulatorUrl: closeEmulator?.url ?? null,
			store,
			async close() {
				await jobs.stop();
				await server.close();
				await closeEmulator?.close();
			},
		};
	} catch (err) {
		await emulatorServer?.close();
		await store.close();
		throw err;
	}
}

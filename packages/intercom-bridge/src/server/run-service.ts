/**
 * Runs the service from the environment until SIGINT/SIGTERM: opens the store (PGlite or
 * PostgreSQL), brings it up to date, listens, and prints where. Used by `npm start` and
 * `intercom-bridge serve`.
 */

import { type Context, Hono } from "hono";
import { announceConsoleUrl } from "../admin/announce-console.ts";
import { ensureFirstAdmin } from "../admin/first-admin.ts";
import { createIntercomBridge } from "../bridge/create-intercom-bridge.ts";
import { openStoreFromEnv } from "../config/open-store-from-env.ts";
import { ConfigError } from "../errors.ts";
import { connectionOf } from "../http/client-address.ts";
import type { EndpointsResolver } from "../intercom/endpoints.ts";
import { createJobRunner } from "../jobs/create-job-runner.ts";
import { createLogger } from "../logger.ts";
import { parseDataAttributeMapping } from "../sync/parse-data-attribute-mapping.ts";
import { serviceHealth } from "./service-health.ts";
import { type RunningServer, secretKeyMismatchMessage, startServer } from "./start-server.ts";

export interface ServiceEnv {
	PORT?: string;
	HOST?: string;
	DATABASE_URL?: string;
	INTERCOM_BRIDGE_DATA_DIR?: string;
	INTERCOM_BRIDGE_SECRET_KEY?: string;
	/** Files holding DATABASE_URL and INTERCOM_BRIDGE_SECRET_KEY (Docker/Kubernetes secrets). */
	DATABASE_URL_FILE?: string;
	INTERCOM_BRIDGE_SECRET_KEY_FILE?: string;
	LOG_LEVEL?: string;
	/** `true` behind a reverse proxy that sets X-Forwarded-Proto/-Host/-For. */
	TRUST_PROXY?: string;
	/** Public URL of the service, e.g. https://intercom.example.com (OAuth redirect and webhook URLs). */
	PUBLIC_URL?: string;
	/** Where the bridge's routes live. Default /intercom. */
	INTERCOM_BRIDGE_BASE_PATH?: string;
	/** Where "Get token" trades the OAuth code: `global` (default, Intercom's documented host) or `regional`. */
	INTERCOM_BRIDGE_OAUTH_TOKEN_HOST?: string;
	/**
	 * Contact sync's data attribute mapping as JSON (decision 0030), e.g.
	 * `{"customFields.plan":{"attribute":"plan","type":"string"}}`.
	 */
	INTERCOM_BRIDGE_DATA_ATTRIBUTES?: string;
}

/** Parses INTERCOM_BRIDGE_OAUTH_TOKEN_HOST. @throws ConfigError */
export function parseOAuthTokenHost(raw: string | undefined): "global" | "regional" {
	const value = raw?.trim().toLowerCase() || "global";
	if (value !== "global" && value !== "regional") {
		throw new ConfigError(`INTERCOM_BRIDGE_OAUTH_TOKEN_HOST must be "global" or "regional", got "${raw}".`);
	}
	return value;
}

/** Parses PORT: 0 to 65535. @throws ConfigError */
export function parsePort(raw: string | undefined, fallback = 3000): number {
	if (raw === undefined || raw.trim() === "") return fallback;
	const port = Number(raw);
	if (!Number.isInteger(port) || port < 0 || port > 65535) {
		throw new ConfigError(`PORT must be a whole number from 0 to 65535, got "${raw}".`);
	}
	return port;
}

export interface RunServiceOptions {
	/** Intercom hosts per region. Default: the real Intercom; tests pass the emulator's. */
	endpoints?: EndpointsResolver;
	/**
	 * Whether `print` reaches a terminal: only then is a first administrator's password printed,
	 * else it goes to a file in the data directory (see ensureFirstAdmin). Default
	 * `process.stdout.isTTY`.
	 */
	isTerminal?: boolean;
	/**
	 * The longest the job runner waits after the server listens for the first request to be
	 * answered (ms). Default {@link JOB_START_DELAY_MS}.
	 */
	jobStartDelayMs?: number;
}

/** The default of {@link RunServiceOptions.jobStartDelayMs}: 1 s. */
export const JOB_START_DELAY_MS = 1000;

/**
 * Starts the service and resolves once it listens. `print` shows the human-facing lines. On
 * SIGINT/SIGTERM it stops claiming jobs, drains open requests (at most 10 s; see
 * RunningServer.close) and exits 0.
 */
export async function runService(
	env: ServiceEnv = process.env,
	print: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
	options: RunServiceOptions = {},
): Promise<RunningServer> {
	const { endpoints } = options;
	const port = parsePort(env.PORT);
	const oauthTokenHost = parseOAuthTokenHost(env.INTERCOM_BRIDGE_OAUTH_TOKEN_HOST);
	const dataAttributes = parseDataAttributeMapping(env.INTERCOM_BRIDGE_DATA_ATTRIBUTES);
	const logger = createLogger({ level: env.LOG_LEVEL });
	const store = await openStoreFromEnv(env, {
		onPoolError: (err) => logger.warn({ err: err.message }, "database pool error"),
	});
	let server: RunningServer;
	let stopping = false;
	let onStop = () => {};
	const stopRequested = new Promise<void>((resolve) => {
		onStop = resolve;
	});
	try {
		const { migrations, webhookKeysGenerated } = await store.prepare();
		if (migrations.applied.length > 0) logger.info({ applied: migrations.applied }, "database migrated");
		if (webhookKeysGenerated > 0) logger.info({ sites: webhookKeysGenerated }, "generated webhook API keys");
		// A wrong key does not stop the service (the console is where secrets are set again), but it
		// must not go unnoticed: /healthz reports it too.
		const key = await store.checkSecretKey();
		if (key.otherKey > 0)
			logger.error({ keyId: key.keyId, undecryptable: key.otherKey }, secretKeyMismatchMessage(key));
		await ensureFirstAdmin(store, print, {
			isTerminal: options.isTerminal,
			dataDir: env.INTERCOM_BRIDGE_DATA_DIR?.trim() || undefined,
		});
		const trustProxy = env.TRUST_PROXY?.trim().toLowerCase() === "true";
		const publicUrl = env.PUBLIC_URL?.trim() || undefined;
		const basePath = env.INTERCOM_BRIDGE_BASE_PATH?.trim() || "/intercom";
		// The service answers the webhooks Intercom calls and the live-site routes, runs the
		// background jobs (conversation links), and serves the admin console.
		const bridge = createIntercomBridge({ store, logger, trustProxy, basePath, endpoints });
		const jobs = createJobRunner({ store, logger, endpoints, ...(dataAttributes && { dataAttributes }) });
		const app = new Hono();
		// The console is built on its first request (the import of its pages and the router):
		// `serve` answers health checks and webhooks without it, and starts that much sooner
		// (docs/decisions/0038-bundled-cli.md). A console that cannot load answers 500, logged.
		let adminApp: Promise<Hono> | undefined;
		const consoleApp = () =>
			(adminApp ??= import("../admin/create-admin-app.ts")
				.then(({ createAdminApp }) =>
					createAdminApp({
						store,
						logger,
						trustProxy,
						publicUrl,
						webhookBasePath: basePath,
						endpoints,
						oauthTokenHost,
						...(dataAttributes && { dataAttributes }),
					}),
				)
				.catch((err: unknown) => {
					// The next request tries again.
					adminApp = undefined;
					logger.error({ err: (err as Error).message }, "the admin console could not be loaded");
					throw err;
				}));
		const toConsole = async (c: Context) => (await consoleApp()).fetch(c.req.raw, c.env);
		app.all("/admin", toConsole);
		app.all("/admin/*", toConsole);
		app.all(`${basePath}/*`, (c) => bridge.handler(c.req.raw, connectionOf(c.env)));
		server = await startServer({
			store,
			logger,
			port,
			host: env.HOST?.trim() || "127.0.0.1",
			app,
			beforeStoreClose: async () => {
				await bridge.flushWebhookCounts();
				await jobs.stop();
			},
			health: serviceHealth(bridge, jobs),
		});
		// From here a SIGINT/SIGTERM drains and exits 0, also while the job runner waits to start or
		// starts (its stop waits for the start); before, the runner's wait was a window where a
		// signal killed the process without the drain.
		const running = server;
		const stop = (signal: string) => {
			if (stopping) return;
			stopping = true;
			onStop();
			logger.info({ signal }, "shutting down");
			running.close().then(
				() => process.exit(0),
				(err: unknown) => {
					logger.error({ err: (err as Error).message }, "shutdown failed");
					process.exit(1);
				},
			);
		};
		process.once("SIGINT", () => stop("SIGINT"));
		process.once("SIGTERM", () => stop("SIGTERM"));
		// The job runner starts once the service has answered its first request (a health check,
		// usually), or a second after it listens, whichever comes first: requests need none of it
		// (webhooks queue through the store), and its start (pg-boss's modules, about 1.4 MB of
		// code, and its queries) would otherwise hold up the first answers on the one thread
		// (docs/decisions/0036-lean-start-and-memory.md, 0038-bundled-cli.md). runService still
		// resolves only once it runs; a runner that cannot start stops the service.
		let timer: ReturnType<typeof setTimeout> | undefined;
		await Promise.race([
			server.firstResponse,
			new Promise<void>((resolve) => {
				timer = setTimeout(resolve, options.jobStartDelayMs ?? JOB_START_DELAY_MS);
			}),
			stopRequested,
		]);
		clearTimeout(timer);
		// A signal while waiting: the shutdown under way stops the runner, which must not start now.
		if (stopping) return server;
		try {
			await jobs.start();
		} catch (err) {
			await server.close();
			throw err;
		}
		// A CLI command run beside the service on the embedded database names this console instead.
		await announceConsoleUrl(store, `${publicUrl ? new URL(publicUrl).origin : server.url}/admin`).catch(
			(err: Error) => logger.warn({ err: err.message }, "could not record the console URL for the CLI"),
		);
	} catch (err) {
		await store.close();
		throw err;
	}
	print(`intercom-bridge listening on ${server.url}`);
	print(`  database: ${store.kind} (${store.location})`);
	print(`  health:   ${server.url}/healthz`);
	print(`  admin:    ${server.url}/admin`);
	print(
		`  webhooks: ${server.url}${env.INTERCOM_BRIDGE_BASE_PATH?.trim() || "/intercom"}/updatecontact, …/logactivity, …/webhooks`,
	);
	print("Press Ctrl-C to stop.");
	return server;
}

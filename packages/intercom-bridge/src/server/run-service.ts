/**
 * Runs the service from the environment until SIGINT/SIGTERM: opens the store (PGlite or
 * PostgreSQL), brings it up to date, listens, and prints where. Used by `npm start` and
 * `intercom-bridge serve`.
 */
import { createAdminApp } from "../admin/create-admin-app.ts";
import { ensureFirstAdmin } from "../admin/first-admin.ts";
import { openStoreFromEnv } from "../config/open-store-from-env.ts";
import { ConfigError } from "../errors.ts";
import { createLogger } from "../logger.ts";
import { type RunningServer, startServer } from "./start-server.ts";

export interface ServiceEnv {
	PORT?: string;
	HOST?: string;
	DATABASE_URL?: string;
	INTERCOM_BRIDGE_DATA_DIR?: string;
	INTERCOM_BRIDGE_SECRET_KEY?: string;
	LOG_LEVEL?: string;
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

/** Starts the service and resolves once it listens. `print` shows the human-facing lines. */
export async function runService(
	env: ServiceEnv = process.env,
	print: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
): Promise<RunningServer> {
	const port = parsePort(env.PORT);
	const logger = createLogger({ level: env.LOG_LEVEL });
	const store = await openStoreFromEnv(env, {
		onPoolError: (err) => logger.warn({ err: err.message }, "database pool error"),
	});
	let server: RunningServer;
	try {
		const { migrations, webhookKeysGenerated } = await store.prepare();
		if (migrations.applied.length > 0) logger.info({ applied: migrations.applied }, "database migrated");
		if (webhookKeysGenerated > 0) logger.info({ sites: webhookKeysGenerated }, "generated webhook API keys");
		await ensureFirstAdmin(store, print);
		const app = createAdminApp({ store, logger });
		server = await startServer({ store, logger, port, host: env.HOST?.trim() || "127.0.0.1", app });
	} catch (err) {
		await store.close();
		throw err;
	}
	print(`intercom-bridge listening on ${server.url}`);
	print(`  database: ${store.kind} (${store.location})`);
	print(`  health:   ${server.url}/healthz`);
	print(`  admin:    ${server.url}/admin`);
	print("Press Ctrl-C to stop.");
	const stop = (signal: string) => {
		logger.info({ signal }, "shutting down");
		server.close().then(
			() => process.exit(0),
			(err: unknown) => {
				logger.error({ err: (err as Error).message }, "shutdown failed");
				process.exit(1);
			},
		);
	};
	process.once("SIGINT", () => stop("SIGINT"));
	process.once("SIGTERM", () => stop("SIGTERM"));
	return server;
}

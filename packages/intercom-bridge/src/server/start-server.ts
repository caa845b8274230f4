/**
 * The intercom-bridge HTTP service on node:http (through @hono/node-server): what `npm start` and
 * `intercom-bridge serve` run. It serves the routes of the service app and shuts down cleanly.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { answerClientError, BODY_INCOMPLETE_MESSAGE } from "../http/answer-client-error.ts";
import { getHealthBacklogs } from "../jobs/job-backlog.ts";
import type { Logger } from "../logger.ts";
import type { Store } from "../store/create-store.ts";
import type { SecretKeyCheck } from "../store/settings-store.ts";

export interface StartServerOptions {
	store: Store;
	logger: Logger;
	/** Port; 0 picks a free one. Default 3000. */
	port?: number;
	/** Interface to listen on. Default 127.0.0.1 (set 0.0.0.0 in containers). */
	host?: string;
	/** Extra routes to mount (the demo, the admin console and the webhooks do so). */
	app?: Hono;
	/**
	 * Runs as soon as closing begins, alongside the drain of open requests; the store closes once
	 * both are done. Stop background jobs here: they stop claiming work at once.
	 */
	beforeStoreClose?: () => Promise<void>;
	/**
	 * Time a client has to send a request's headers, and the whole request (ms): a slow client
	 * ("slowloris", a body at 1 byte/s) is answered 408 and cut off then. Default 15 000.
	 */
	requestTimeoutMs?: number;
	/** More for `/healthz` to report (process-local counters), merged into its answer. */
	health?: () => Record<string, unknown>;
}

export interface RunningServer {
	/** `http://host:port` */
	url: string;
	port: number;
	/**
	 * Resolves once the first response has been sent in full (or its connection closed): what
	 * `runService` waits for before it starts the job runner.
	 */
	firstResponse: Promise<void>;
	/**
	 * Stops accepting connections, answers open and further requests on open connections with
	 * `Connection: close`, waits for them (at most 10 s, then drops the connections left), runs
	 * `beforeStoreClose` meanwhile, then closes the store.
	 */
	close(): Promise<void>;
}

/** The default of {@link StartServerOptions.requestTimeoutMs}. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 15_000;

/**
 * Builds the service's own routes: `GET /healthz`, 200 `{ status: "ok", database, secretKey, jobs,
 * erasures, contactSync, intercomEvents }` with the conversation-links backlog (see JobBacklog) and
 * the other queues' `{ pending, dead }`; 503 `{ status: "secret-key-mismatch",
 * secretKey: { keyId, undecryptable, message } }` when stored secrets were sealed with another
 * key (webhooks then answer 503 too); 503 `{ status: "unavailable" }` when the database does not answer.
 */
export function createServiceApp(store: Store, health?: () => Record<string, unknown>): Hono {
	const app = new Hono();
	app.get("/healthz", async (c) => {
		try {
			c.header("Cache-Control", "no-store");
			// The key check reads the stored secrets: it is also the check that the database answers
			// (a failure is 503 "unavailable"), so no `select 1` before it: each statement is a round
			// trip on the first answer's path (docs/decisions/0044-serve-start-on-postgres.md).
			const key = await store.checkSecretKey();
			// The links backlog and the other queues' counts (all sites; docs/decisions/0025 and 0023),
			// in one statement, for monitoring; a failure to read them is not ill health.
			const backlogs = await getHealthBacklogs(store).catch(() => null);
			const jobs = backlogs?.links ?? null;
			const queues = {
				erasures: backlogs?.erasures ?? null,
				contactSync: backlogs?.contactSync ?? null,
				intercomEvents: backlogs?.intercomEvents ?? null,
			};
			if (key.otherKey > 0) {
				const secretKey = {
					keyId: key.keyId,
					undecryptable: key.otherKey,
					sealedWith: key.otherKeyIds,
					message: secretKeyMismatchMessage(key),
				};
				return c.json(
					{ status: "secret-key-mismatch", database: store.kind, secretKey, jobs, ...queues, ...health?.() },
					503,
				);
			}
			const secretKey = { keyId: key.keyId, undecryptable: 0 };
			return c.json({ status: "ok", database: store.kind, secretKey, jobs, ...queues, ...health?.() });
		} catch {
			return c.json({ status: "unavailable", database: store.kind }, 503, { "Retry-After": "5" });
		}
	});
	return app;
}

/** What to do when stored secrets were sealed with another key (for /healthz and the start-up log). */
export function secretKeyMismatchMessage(key: SecretKeyCheck): string {
	return (
		`${key.otherKey} of ${key.stored} stored secret(s) were encrypted with another key (id ${key.otherKeyIds.join(", ")}; this server's is ${key.keyId}) and cannot be read. ` +
		"Restore that key (INTERCOM_BRIDGE_SECRET_KEY, or the data directory's secret.key), or set each secret again in the console's Intercom setup and rotate the webhook API key."
	);
}

/** Starts listening. Resolves once the port is bound. */
export async function startServer(options: StartServerOptions): Promise<RunningServer> {
	const app = new Hono();
	app.route("/", createServiceApp(options.store, options.health));
	if (options.app) app.route("/", options.app);
	app.notFound((c) =>
		c.json({ error: { code: "NOT_FOUND", message: `No route for ${c.req.method} ${c.req.path}.` } }, 404),
	);
	app.onError((err, c) => {
		// A form or body whose client hung up mid-way (the console's forms): its fault, not ours.
		// The client was answered by answerClientError when it could still read.
		if (!((c.env as { incoming?: IncomingMessage } | undefined)?.incoming?.complete ?? true)) {
			options.logger.info({ path: c.req.path }, "request body incomplete; answered 400");
			return c.json({ error: { code: "BODY_INCOMPLETE", message: BODY_INCOMPLETE_MESSAGE } }, 400);
		}
		options.logger.error({ err: { message: err.message, name: err.name } }, "unhandled error");
		return c.json({ error: { code: "INTERNAL", message: "Internal error; see the server log." } }, 500);
	});
	const host = options.host ?? "127.0.0.1";
	const requestTimeout = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
	const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
		const s = serve(
			{
				fetch: app.fetch,
				port: options.port ?? 3000,
				hostname: host,
				// Slow-loris guards (docs/reliability.md W16). Node checks them every 30 s by default, which
				// would let a slow request live up to 30 s past its timeout: check every second.
				serverOptions: {
					headersTimeout: requestTimeout,
					requestTimeout,
					connectionsCheckingInterval: Math.min(1000, requestTimeout),
				},
			},
			() => resolve(s),
		);
		s.once("error", reject);
		// A body cut short by a half-close gets a 400 that says so (Node's default is a bare 400).
		s.on("clientError", answerClientError);
	});
	const { port } = server.address() as AddressInfo;
	const shownHost =
		host === "0.0.0.0" || host === "::" ? "localhost" : host.includes(":") ? `[${host}]` : host;
	// A keep-alive client goes on sending requests on its connection after `server.close()`, so
	// the drain would only end at its bound (and cut those requests off). While closing, each
	// response tells the client to close the connection instead: the ones under way when closing
	// began, and any later request on a connection still open.
	let draining = false;
	const inFlight = new Set<ServerResponse>();
	const firstResponse = new Promise<void>((resolve) => {
		server.once("request", (_req: IncomingMessage, res: ServerResponse) =>
			res.once("close", () => resolve()),
		);
	});
	if ("closeIdleConnections" in server) {
		server.prependListener("request", (_req, res) => {
			if (draining) {
				res.setHeader("Connection", "close");
				return;
			}
			inFlight.add(res);
			res.once("close", () => inFlight.delete(res));
		});
	}
	let closing: Promise<void> | undefined;
	return {
		url: `http://${shownHost}:${port}`,
		port,
		firstResponse,
		close() {
			closing ??= (async () => {
				draining = true;
				for (const res of inFlight) if (!res.headersSent) res.setHeader("Connection", "close");
				const drained = new Promise<void>((resolve) => {
					const timer = setTimeout(() => {
						if ("closeAllConnections" in server) server.closeAllConnections();
						resolve();
					}, 10_000);
					server.close(() => {
						clearTimeout(timer);
						resolve();
					});
					if ("closeIdleConnections" in server) server.closeIdleConnections();
				});
				const [, stopped] = await Promise.allSettled([
					drained,
					Promise.resolve().then(() => options.beforeStoreClose?.()),
				]);
				try {
					if (stopped.status === "rejected") throw stopped.reason;
				} finally {
					await options.store.close();
				}
			})();
			return closing;
		},
	};
}

/**
 * A faithful local Intercom for tests and demos (docs/intercom.md §9.1), built on Hono. One
 * server answers the three regions under path prefixes (`/us`, `/eu`, `/au`; the bare root is an
 * alias of `/us`), each with its REST API, app host (OAuth) and Messenger `api_base`; the widget
 * script lives at `/widget/{app_id}` for every region, as on Intercom.
 *
 * @example
 * const emulator = createIntercomEmulator({ tokens: ["tok"], apps: [{ appId: "abc123", identitySecret: "s" }] });
 * const server = await emulator.listen();
 * const endpoints = emulator.endpoints("eu"); // { api, messenger, app, widget } on this server
 * await fetch(`${endpoints.api}/me`, { headers: { Authorization: "Bearer tok" } });
 * await server.close();
 */
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { conversationUrl, type IntercomEndpoints } from "../intercom/endpoints.ts";
import { apiGuard, apiPath, bearerToken } from "./api-guard.ts";
import { createContact } from "./contact-operations.ts";
import type { Contact, ContactInput } from "./contact-shape.ts";
import { contactsRoutes } from "./contacts-routes.ts";
import type { Conversation, SeedConversationOptions } from "./conversation-shape.ts";
import { conversationsRoutes, seedConversations } from "./conversations-routes.ts";
import {
	createDataAttribute,
	type DataAttribute,
	dataAttributesRoutes,
	type SeedDataAttribute,
} from "./data-attributes.ts";
import { DEFAULT_APP_ID, type EmulatorContext, primaryApp } from "./emulator-context.ts";
import {
	createEmulatorState,
	type EmulatorApp,
	type EmulatorOAuthClient,
	type EmulatorRegion,
	type MessengerBoot,
	type RecordedRequest,
} from "./emulator-state.ts";
import { createStateFileWriter, loadStateFile } from "./emulator-state-file.ts";
import { eventsRoutes } from "./events-routes.ts";
import { createFaultQueue, type EmulatorFault } from "./faults.ts";
import { inboxRoutes } from "./inbox-routes.ts";
import { errorResponse, IntercomHttpError } from "./intercom-error.ts";
import { meRoute } from "./me-route.ts";
import { messengerPingRoutes, widgetRoutes } from "./messenger-routes.ts";
import { oauthAuthorizeRoutes, oauthTokenRoutes } from "./oauth-routes.ts";
import { createRateLimiter } from "./rate-limit.ts";
import { createWebhookSender, type WebhookSender } from "./webhook-sender.ts";

export interface IntercomEmulatorOptions {
	/** Accepted bearer tokens (tokens issued through OAuth are accepted too). */
	tokens?: string[];
	oauthClients?: EmulatorOAuthClient[];
	/** Messenger apps (workspaces). `/me` answers the one an OAuth token was authorized in, else the first. Default: one app `emulator`, no secret. */
	apps?: EmulatorApp[];
	/** Requests per token per 10-second window. Default 1667 (10,000 a minute). */
	rateLimitPer10s?: number;
	/**
	 * The limit as Intercom states it, per minute; the window allows a sixth, rounded up (Intercom's
	 * example: 1,000 a minute is `X-RateLimit-Limit: 167`). Ignored when `rateLimitPer10s` is set.
	 */
	rateLimitPerMinute?: number;
	/** New contacts stay invisible to search this long (Intercom's index lag). Default 0. */
	searchIndexDelayMs?: number;
	/** Clock in epoch ms (timestamps, rate windows, code expiry, index delay). Default `Date.now`. */
	now?: () => number;
	/** The fetch the webhook sender uses. Default the global fetch. */
	fetch?: typeof fetch;
	/**
	 * A JSON file to keep the workspace in (contacts, conversations, issued tokens, the latest
	 * Messenger boot of each visitor): loaded now if it exists, saved atomically shortly after each
	 * change and on `close()`/`flush()`. Unset: everything is forgotten when the process ends.
	 */
	stateFile?: string;
	/** Called when saving the state file fails (the emulator goes on in memory). */
	onStateFileError?: (err: Error) => void;
	/**
	 * Custom data attributes the workspace starts with (again after `reset()`). As on Intercom,
	 * `POST`/`PUT /contacts` refuse a `custom_attributes` key that is not one of them (or created
	 * through `POST /data_attributes`), or a value of the wrong type; `seedContact` does not check.
	 */
	dataAttributes?: SeedDataAttribute[];
}

/** One data event as the emulator keeps it. */
export interface EmulatorDataEvent {
	/** Intercom id of the contact (after a merge, the user the lead went into). */
	contactId: string;
	eventName: string;
	createdAt: number;
	/** The metadata kept: at most the first 10 keys sent. */
	metadata: Record<string, unknown>;
}

/** A listening emulator. */
export interface EmulatorServer {
	/** `http://127.0.0.1:<port>` */
	url: string;
	/** Stops listening and writes a pending save of the state file. */
	close(): Promise<void>;
}

export interface IntercomEmulator {
	/** Answers a request without a server (like Hono's `app.request`); usable as a client's `fetch`. */
	fetch(input: Request | string | URL, init?: RequestInit): Promise<Response>;
	/** Serves over HTTP; default 127.0.0.1 and a free port. */
	listen(options?: { port?: number; host?: string }): Promise<EmulatorServer>;
	/** The bases of a region on this emulator (before `listen()`, on a placeholder origin for `fetch`). */
	endpoints(region?: EmulatorRegion): IntercomEndpoints;
	/** The inbox link of a conversation in the first app (what the bridge writes into activities). */
	inboxUrl(conversationId: string, region?: EmulatorRegion): string;
	/** Copies of every stored contact, archived ones included. */
	contacts(): Contact[];
	/** Adds a contact directly (no rate limit, no index delay); duplicates throw like the API's 409. */
	seedContact(input: ContactInput): Contact;
	/** Adds `count` conversations started by a contact (id or external id). */
	seedConversations(
		contactIdOrExternalId: string,
		count: number,
		options?: SeedConversationOptions,
	): Conversation[];
	/** Adds a custom data attribute (as `POST /data_attributes` would, without a request). */
	seedDataAttribute(input: SeedDataAttribute): DataAttribute;
	/** Copies of the custom data attributes, archived ones included. */
	dataAttributes(): DataAttribute[];
	/** Copies of the data events received, oldest first (duplicates were not kept). */
	events(): EmulatorDataEvent[];
	/** Every request answered, oldest first. */
	readonly requests: readonly RecordedRequest[];
	/** Every Messenger boot and update, oldest first. */
	readonly messengerBoots: readonly MessengerBoot[];
	/** Makes a token answer 401 from now on (what uninstalling the app does). */
	revokeToken(token: string): void;
	/** Applies a fault to the next matching REST requests. */
	inject(fault: EmulatorFault): void;
	/** Forgets contacts, conversations, data attributes (but the seeded ones), events, codes, recordings, faults, rate windows and issued tokens. */
	reset(): void;
	/** Writes a pending save of the state file now (resolves at once without `stateFile`). */
	flush(): Promise<void>;
	webhooks: WebhookSender;
}

const REGIONS: readonly EmulatorRegion[] = ["us", "eu", "au"];
const PLACEHOLDER_ORIGIN = "http://intercom-emulator.invalid";
const API_PATH = /^\/(contacts|conversations|me|data_attributes|events)(\/|$)/;

function windowLimit(options: IntercomEmulatorOptions): number {
	const perWindow =
		options.rateLimitPer10s ??
		(options.rateLimitPerMinute === undefined ? 1667 : Math.ceil(options.rateLimitPerMinute / 6));
	if (!(Number.isInteger(perWindow) && perWindow >= 1)) {
		throw new Error(`Emulator rate limit must be a whole number ≥ 1 per window (got ${perWindow}).`);
	}
	return perWindow;
}

/** Creates an emulator; nothing listens until `listen()`. */
export function createIntercomEmulator(options: IntercomEmulatorOptions = {}): IntercomEmulator {
	const initialTokens = options.tokens ?? [];
	const ctx: EmulatorContext = {
		state: createEmulatorState(initialTokens),
		options: {
			oauthClients: options.oauthClients ?? [],
			apps: options.apps?.length ? options.apps : [{ appId: DEFAULT_APP_ID }],
			rateLimitPer10s: windowLimit(options),
			searchIndexDelayMs: options.searchIndexDelayMs ?? 0,
			now: options.now ?? Date.now,
			fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
		},
	};
	const stateFile = options.stateFile
		? createStateFileWriter(options.stateFile, () => ctx.state, 200, options.onStateFileError)
		: null;
	const seedAttributes = () => {
		for (const attribute of options.dataAttributes ?? []) {
			if (!ctx.state.dataAttributes.some((a) => a.name === attribute.name))
				createDataAttribute(ctx, attribute);
		}
	};
	if (options.stateFile) loadStateFile(options.stateFile, ctx.state);
	seedAttributes();
	const changed = () => stateFile?.schedule();
	const limiter = createRateLimiter(ctx.options.rateLimitPer10s, ctx.options.now);
	const faults = createFaultQueue();
	const startedAt = ctx.options.now();
	const guard = apiGuard(ctx, limiter, faults);

	const regionApp = () => {
		const r = new Hono();
		r.route("/app", oauthAuthorizeRoutes(ctx));
		r.route("/app", inboxRoutes(ctx));
		r.route("/iam", messengerPingRoutes(ctx));
		r.route("/", oauthTokenRoutes(ctx));
		r.use("*", (c, next) =>
			API_PATH.test(c.req.path.replace(/^\/(us|eu|au)/, "")) ? guard(c, next) : next(),
		);
		r.route("/", contactsRoutes(ctx));
		r.route("/", conversationsRoutes(ctx));
		r.route("/", meRoute(ctx, startedAt));
		r.route("/", dataAttributesRoutes(ctx));
		r.route("/", eventsRoutes(ctx));
		return r;
	};

	const root = new Hono();
	root.use("*", async (c, next) => {
		await next();
		const prefix = /^\/(us|eu|au)(?=\/|$)/.exec(c.req.path)?.[1] as EmulatorRegion | undefined;
		const token = bearerToken(c.req.raw);
		ctx.state.requests.push({
			method: c.req.method,
			path: apiPath(c.req.path),
			region: prefix ?? "us",
			version: c.req.header("intercom-version") ?? null,
			// Never the whole token: at most its last four characters, and at most half of it.
			tokenHint: token ? `…${token.slice(-Math.min(4, Math.floor(token.length / 2)))}` : null,
			status: c.res.status,
			at: ctx.options.now(),
		});
		// Reads change nothing worth keeping; every write (REST, OAuth, Messenger ping) may.
		if (c.req.method !== "GET" && c.req.method !== "HEAD" && c.req.method !== "OPTIONS") changed();
	});
	root.route(
		"/",
		widgetRoutes(ctx, (request) => `${new URL(request.url).origin}/us/iam`),
	);
	for (const region of REGIONS) root.route(`/${region}`, regionApp());
	root.route("/", regionApp());
	root.notFound(() => errorResponse(404, "not_found", "Resource Not Found"));
	root.onError((err) => {
		if (err instanceof IntercomHttpError)
			return errorResponse(err.status, err.errorCode, err.message, err.headers);
		return errorResponse(500, "server_error", `Emulator error: ${err.message}`);
	});

	let origin = PLACEHOLDER_ORIGIN;
	return {
		fetch: async (input, init) => {
			const request = input instanceof Request && !init ? input : new Request(input, init);
			return root.fetch(request);
		},
		async listen(listenOptions = {}) {
			const host = listenOptions.host ?? "127.0.0.1";
			const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
				const s = serve({ fetch: root.fetch, port: listenOptions.port ?? 0, hostname: host }, () =>
					resolve(s),
				);
				s.once("error", reject);
			});
			const { port } = server.address() as AddressInfo;
			origin = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
			const url = origin;
			return {
				url,
				close: async () => {
					await new Promise<void>((resolve) => {
						server.close(() => resolve());
						if ("closeAllConnections" in server) server.closeAllConnections();
					});
					await stateFile?.flush();
				},
			};
		},
		endpoints(region = "us") {
			return {
				api: `${origin}/${region}`,
				messenger: `${origin}/${region}/iam`,
				app: `${origin}/${region}/app`,
				widget: `${origin}/widget`,
			};
		},
		inboxUrl(conversationId, region = "us") {
			const app = `${origin}/${region}/app`;
			return conversationUrl(
				{ api: "", messenger: "", widget: "", app },
				primaryApp(ctx).appId,
				conversationId,
			);
		},
		contacts: () => [...ctx.state.contacts.values()].map((r) => structuredClone(r.contact)),
		seedContact(input) {
			const contact = createContact(ctx, input);
			const record = ctx.state.contacts.get(contact.id);
			if (record) record.searchableAt = 0;
			changed();
			return structuredClone(contact);
		},
		seedConversations: (idOrExternalId, count, seedOptions) => {
			const created = seedConversations(ctx, idOrExternalId, count, seedOptions);
			changed();
			return created.map((c) => structuredClone(c));
		},
		seedDataAttribute(input) {
			const attribute = createDataAttribute(ctx, input);
			changed();
			return structuredClone(attribute);
		},
		dataAttributes: () => ctx.state.dataAttributes.map((a) => structuredClone(a)),
		events: () => ctx.state.events.map((e) => structuredClone(e)),
		get requests() {
			return ctx.state.requests;
		},
		get messengerBoots() {
			return ctx.state.messengerBoots;
		},
		revokeToken(token) {
			ctx.state.tokens.delete(token);
			changed();
		},
		inject(fault) {
			faults.add(fault);
		},
		reset() {
			ctx.state = createEmulatorState(initialTokens);
			seedAttributes();
			faults.clear();
			limiter.reset();
			changed();
		},
		flush: async () => {
			await stateFile?.flush();
		},
		webhooks: createWebhookSender(ctx),
	};
}

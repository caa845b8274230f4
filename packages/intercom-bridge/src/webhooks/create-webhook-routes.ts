/**
 * The endpoints Intercom calls, relative to the bridge's base path:
 *
 * - `POST /updatecontact` (or PUT): a Series copies a person's attributes to a contact;
 * - `POST /logactivity` (or PUT): a Series logs an activity (conversation links follow from a job);
 * - `POST /webhooks`: signed Developer Hub notifications; a topic the site maps to an activity type
 *   logs one activity per notification (`HEAD`/`GET` answer 200 for Intercom's probe).
 *
 * Every request goes: the client address's limits (429) → site by Host (unknown or disabled: 404)
 * → content type (415) → body within the limit (413) → authentication over the raw bytes (401) →
 * JSON (400) → the handler, whose database work is one transaction. Failures are JSON `{ "error": { "code", "message" } }`; a lost
 * database, and a site credential the secret key cannot decrypt, are 503 with `Retry-After`.
 *
 * Limits per client address (docs/reliability.md W16): an address that failed authentication, or hung up
 * mid-body (400 BODY_INCOMPLETE), `rateLimit.failuresPerMinute` times gets 429 for every request, before its body is read, until
 * its budget refills; `rateLimit.requestsPerSecond` optionally caps all its requests. They apply
 * when the address is known: the adapters pass the connection's, and `X-Forwarded-For` counts only
 * with `trustProxy`.
 *
 * @example
 * const app = new Hono();
 * app.route("/intercom", createWebhookRoutes(ctx)); // POST /intercom/updatecontact …
 */

import { type Context, Hono } from "hono";
import { publicMessage } from "../errors.ts";
import { addressKey, clientAddress } from "../http/client-address.ts";
import { createRateLimiter } from "../http/create-rate-limiter.ts";
import { errorToResponse, jsonErrorResponse } from "../http/error-response.ts";
import { jsonResponseFor } from "../http/known-body.ts";
import { requestOrigin } from "../http/request-info.ts";
import { type EndpointsResolver, realIntercom } from "../intercom/endpoints.ts";
import type { Logger } from "../logger.ts";
import { isErased } from "../privacy/erase-contact.ts";
import type { SiteSettings } from "../settings/setting-keys.ts";
import type { Store } from "../store/create-store.ts";
import type { Site } from "../store/site-store.ts";
import { bodyFields } from "./body-fields.ts";
import { logActivity } from "./log-activity.ts";
import { parseWebhookJson } from "./parse-webhook-json.ts";
import { readWebhookBody } from "./read-webhook-body.ts";
import { receiveNotification } from "./receive-notification.ts";
import {
	resolveWebhookOptions,
	type WebhookHandlerContext,
	type WebhookRequest,
} from "./resolve-webhook-options.ts";
import { updateContact } from "./update-contact.ts";
import { authenticateWebhook } from "./verify-webhook-auth.ts";
import { createWebhookCounts, type WebhookCounts } from "./webhook-counts.ts";
import type { WebhookDayTally } from "./webhook-day-tally.ts";
import { WebhookHttpError } from "./webhook-http-error.ts";
import type { WebhookOptions } from "./webhook-options.ts";

type Handler = (ctx: WebhookHandlerContext, request: WebhookRequest) => Promise<Response>;

/** The site a request is for, when it exists and Intercom is enabled for it. @throws WebhookHttpError 404. */
async function enabledSite(
	store: Store,
	request: Request,
	trustProxy: boolean,
): Promise<{ site: Site; settings: SiteSettings }> {
	const site = await store.resolveSiteByHost(requestOrigin(request, trustProxy).host);
	const settings = site ? await store.getSettings(site.id) : null;
	if (!site || !settings?.enabled) {
		throw new WebhookHttpError(404, "NOT_FOUND", "Intercom is not enabled for this site.");
	}
	return { site, settings };
}

/**
 * Refuses a request whose credential (the client secret for a signed request, else the webhook API
 * key) is stored but cannot be decrypted with this server's secret key: the request cannot be
 * checked, and it is not the sender's fault, so 503 (Intercom retries) rather than 401 or 500.
 * @throws WebhookHttpError 503 SECRET_KEY_MISMATCH.
 */
function checkCredentialReadable(settings: SiteSettings, headers: Headers, requireSignature: boolean) {
	const key = requireSignature || headers.has("x-hub-signature") ? "clientSecret" : "webhookApiKey";
	if (!settings.undecryptable.includes(key)) return;
	throw new WebhookHttpError(
		503,
		"SECRET_KEY_MISMATCH",
		`This site's ${key} cannot be decrypted with the server's secret key, so the request cannot be checked. Nothing was written; retry later. ` +
			"(Operator: restore the secret key, or set the secret again in the console; /healthz reports it.)",
	);
}

/** True for the 404 a handler throws when the body's contact does not exist. */
const isContactNotFound = (err: unknown) =>
	err instanceof WebhookHttpError &&
	err.status === 404 &&
	err.code === "NOT_FOUND" &&
	/^Contact not found/.test(publicMessage(err));

/** What the webhook routes need of the bridge's resolved options (a `ResolvedBridgeOptions` fits). */
export interface WebhookRoutesContext {
	readonly options: {
		readonly store: Store;
		readonly logger: Logger;
		readonly trustProxy: boolean;
		readonly now: () => number;
		readonly webhooks: WebhookOptions;
		/** Intercom's hosts per region (inbox links of notification activities). Default: the real Intercom. */
		readonly endpoints?: EndpointsResolver;
	};
	/** Counters of what the routes refused (the bridge reads them for /healthz); optional in tests. */
	readonly webhookCounts?: WebhookCounts;
	/** Webhook outcomes per site and day, for the console's overview; optional in tests. */
	readonly webhookTally?: WebhookDayTally;
}

/** Builds the webhook routes. @throws ConfigError for bad `webhooks` options. */
export function createWebhookRoutes(ctx: WebhookRoutesContext): Hono {
	const { store, trustProxy, now } = ctx.options;
	const logger = ctx.options.logger.child({ component: "webhooks" });
	const options = resolveWebhookOptions(ctx.options.webhooks);
	const counts = ctx.webhookCounts ?? createWebhookCounts();
	const endpoints = ctx.options.endpoints ?? realIntercom;
	const handlerCtx: WebhookHandlerContext = { store, logger, options, now, endpoints, counts };
	const { failuresPerMinute, requestsPerSecond } = options.rateLimit;
	const failures = createRateLimiter({ capacity: failuresPerMinute, periodMs: 60_000, now });
	const requests = createRateLimiter({ capacity: 2 * requestsPerSecond, periodMs: 2000, now });
	const tooMany = (seconds: number, message: string) => {
		counts.rateLimited++;
		return jsonErrorResponse(429, "RATE_LIMITED", `${message}; retry after ${seconds} s.`, {
			"Retry-After": String(seconds),
		});
	};
	/** The key the limits count a request under, or null when its address is unknown. */
	const limitKey = (c: Context) => {
		const address = clientAddress(c, trustProxy);
		return address === null ? null : addressKey(address);
	};
	/** The 429 for a request over its address's limits, else null (and the request is counted). */
	function refused(key: string | null): Response | null {
		if (key === null) return null;
		const failed = failures.retryAfterSeconds(key);
		if (failed > 0) return tooMany(failed, "Too many failed authentications from your address");
		const busy = requests.take(key);
		if (busy > 0)
			return tooMany(busy, `More than ${requestsPerSecond} requests per second from your address`);
		return null;
	}
	/** Counts a failed authentication; says so in the log once when the address is shut out. */
	function failed(key: string | null, endpoint: string) {
		if (key === null) return;
		failures.take(key);
		const wait = failures.retryAfterSeconds(key);
		if (wait > 0) {
			logger.warn(
				{ address: key, endpoint, retryAfterSeconds: wait },
				"webhook: too many failed authentications; answering 429 to this address",
			);
		}
	}

	/** What the per-day tally learns while a request is answered: its site, and whether it was a duplicate. */
	interface Seen {
		siteId: number | null;
		duplicate: boolean;
	}

	const endpoint =
		(name: string, handler: Handler, auth: { requireSignature?: boolean } = {}) =>
		async (c: Context): Promise<Response> => {
			const key = limitKey(c);
			const limited = refused(key);
			if (limited) return limited;
			const seen: Seen = { siteId: null, duplicate: false };
			const response = await answer(c, key, name, handler, auth, seen);
			// Only requests whose site is known are counted: a refusal before that (unknown host, 429
			// by address) belongs to no site and is in /healthz's counts instead.
			if (seen.siteId !== null && ctx.webhookTally) {
				ctx.webhookTally.count(
					seen.siteId,
					response.status >= 400 ? "refused" : seen.duplicate ? "duplicates" : "accepted",
				);
			}
			return response;
		};

	async function answer(
		c: Context,
		key: string | null,
		name: string,
		handler: Handler,
		auth: { requireSignature?: boolean },
		seen: Seen,
	): Promise<Response> {
		try {
			const request = c.req.raw;
			const { site, settings } = await enabledSite(store, request, trustProxy);
			seen.siteId = site.id;
			checkCredentialReadable(settings, request.headers, auth.requireSignature === true);
			const { bytes, text } = await readWebhookBody(request, options.bodyLimitBytes);
			const result = authenticateWebhook({
				headers: request.headers,
				bytes,
				settings,
				now: now(),
				gracePeriodMs: options.apiKeyGracePeriodMs,
				requireSignature: auth.requireSignature,
			});
			if (!result.ok) {
				counts.unauthorized++;
				failed(key, name);
				// The reason is for the operator; the sender learns only that it failed.
				logger.warn({ site: site.codeName, endpoint: name, reason: result.reason }, "webhook: unauthorized");
				return jsonErrorResponse(
					401,
					"UNAUTHORIZED",
					auth.requireSignature
						? "Missing or invalid X-Hub-Signature."
						: "Missing or invalid credentials: send the site's webhook API key in X-Api-Key (or a valid X-Hub-Signature).",
				);
			}
			const body = parseWebhookJson(text);
			const respond = (data: unknown, init?: ResponseInit) => {
				if ((data as { status?: unknown } | null)?.status === "duplicate") seen.duplicate = true;
				return jsonResponseFor(request, data, init);
			};
			try {
				return await handler(handlerCtx, { site, settings, bytes, body, respond });
			} catch (err) {
				// A contact erased on request: Intercom may still send webhooks for it. They are
				// acknowledged (so Intercom does not retry and pause the endpoint) and change nothing.
				if (isContactNotFound(err) && (await isErased(store, bodyFields(body).text("ContactGUID") ?? ""))) {
					logger.info({ site: site.codeName, endpoint: name }, "webhook: contact was erased; ignored");
					return respond({ status: "ignored", reason: "erased" });
				}
				throw err;
			}
		} catch (err) {
			if (err instanceof WebhookHttpError && err.code === "BODY_INCOMPLETE") {
				// A client that hangs up mid-body costs a connection and a read: it counts as a
				// failure (thousands of them must not each cost a log line), and is not an error of ours.
				failed(key, name);
				logger.info({ endpoint: name, address: key }, "webhook: request body incomplete; answered 400");
			}
			return errorToResponse(err, { as: "json", logger, context: { endpoint: name }, label: "webhook" });
		}
	}

	const app = new Hono();
	// A Series webhook block sends POST or PUT, as the marketer chose.
	app.on(["POST", "PUT"], "/updatecontact", endpoint("updatecontact", updateContact));
	app.on(["POST", "PUT"], "/logactivity", endpoint("logactivity", logActivity));
	app.post("/webhooks", endpoint("webhooks", receiveNotification, { requireSignature: true }));
	// Intercom checks a notification URL with HEAD before saving it; Hono answers HEAD with GET routes.
	app.get("/webhooks", async (c) => {
		const limited = refused(limitKey(c));
		if (limited) return limited;
		try {
			await enabledSite(store, c.req.raw, trustProxy);
			return c.json({ status: "ok" });
		} catch (err) {
			return errorToResponse(err, {
				as: "json",
				logger,
				context: { endpoint: "webhooks" },
				label: "webhook",
			});
		}
	});
	return app;
}

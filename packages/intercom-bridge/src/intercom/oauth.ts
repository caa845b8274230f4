/**
 * Intercom OAuth for public apps (docs/intercom.md §4): send the admin to the app host's
 * `/oauth` page, then trade the `code` Intercom sends back for a token at `/auth/eagle/token`.
 *
 * Threat model: the client secret and the token are the two secrets here. Neither appears in an
 * error message, a log line or a URL; the secret only travels in the POST body to the token
 * endpoint. The caller must check `state` on the callback before calling {@link exchangeCode}
 * (CSRF); this module builds the URL with it but cannot check it.
 */
import { ConfigError, OAuthError } from "../errors.ts";
import { REGIONS, type Region } from "../settings/setting-keys.ts";
import { type IntercomEndpoints, intercomEndpoints } from "./endpoints.ts";
import type { AdminWithApp } from "./intercom-types.ts";
import { rejectOnAbort } from "./retry.ts";
import { parseErrorList } from "./to-intercom-error.ts";

function endpointsOf(options: { region?: Region; endpoints?: IntercomEndpoints }): IntercomEndpoints {
	return options.endpoints ?? intercomEndpoints(options.region ?? "us");
}

function requireText(value: unknown, name: string, fn: string): void {
	if (typeof value !== "string" || value.trim() === "") throw new ConfigError(`${fn}: ${name} is required.`);
}

/**
 * The URL of Intercom's authorize page. No `scope` or `response_type`: Intercom takes the
 * permissions from the app's Developer Hub settings.
 *
 * @example
 * const url = authorizationUrl({ clientId, state, redirectUri: "https://example.com/api/intercom/oauth/callback", region: "eu" });
 * // https://app.eu.intercom.com/oauth?client_id=…&state=…&redirect_uri=…
 * @throws {ConfigError} when clientId, state or redirectUri is empty.
 */
export function authorizationUrl(options: {
	clientId: string;
	state: string;
	redirectUri: string;
	region?: Region;
	endpoints?: IntercomEndpoints;
}): string {
	requireText(options.clientId, "clientId", "authorizationUrl");
	requireText(options.state, "state (a random value checked on the callback)", "authorizationUrl");
	requireText(options.redirectUri, "redirectUri", "authorizationUrl");
	const url = new URL(`${endpointsOf(options).app}/oauth`);
	url.searchParams.set("client_id", options.clientId);
	url.searchParams.set("state", options.state);
	url.searchParams.set("redirect_uri", options.redirectUri);
	return url.toString();
}

/** Options of {@link exchangeCode}. */
export interface ExchangeCodeOptions {
	code: string;
	clientId: string;
	clientSecret: string;
	/**
	 * The region whose API host serves the token endpoint. Default `us`: Intercom documents
	 * `https://api.intercom.io/auth/eagle/token` for workspaces of every region, so pass another
	 * region only to try its (undocumented) regional host.
	 */
	region?: Region;
	/** The hosts to use instead of Intercom's for `region` (e.g. an emulator's). */
	endpoints?: IntercomEndpoints;
	fetch?: typeof fetch;
	/** Deadline of the exchange, in ms. Default 15000. */
	timeoutMs?: number;
}

/** What Intercom's 401 on the token endpoint usually means, said so an admin can act on it. */
const HINT =
	"Check the app's client id and client secret, and start the connection again: a code works once and expires after about 5 minutes.";

/**
 * Trades the callback's `code` for an access token (`POST {api}/auth/eagle/token`, form-encoded
 * like Intercom's own OAuth libraries). Intercom tokens do not expire and have no refresh token.
 * The token works for the workspace's own region; read `GET /me` with it to learn which.
 *
 * @example
 * const { token } = await exchangeCode({ code, clientId, clientSecret }); // https://api.intercom.io/auth/eagle/token
 * @throws {OAuthError} `oauthCode` is Intercom's error code (e.g. `unauthorized`), or
 *   `invalid_response`, `network_error`, `timeout`. Messages never contain the code, secret or token.
 */
export async function exchangeCode(
	options: ExchangeCodeOptions,
): Promise<{ token: string; tokenType: string }> {
	requireText(options.code, "code", "exchangeCode");
	requireText(options.clientId, "clientId", "exchangeCode");
	requireText(options.clientSecret, "clientSecret", "exchangeCode");
	const timeoutMs = options.timeoutMs ?? 15_000;
	const doFetch = options.fetch ?? globalThis.fetch;
	const signal = AbortSignal.timeout(timeoutMs);
	const deadline = rejectOnAbort(signal);
	let status: number;
	let text: string;
	try {
		const call = async (): Promise<[number, string]> => {
			const response = await doFetch(`${endpointsOf(options).api}/auth/eagle/token`, {
				method: "POST",
				headers: { Accept: "application/json", "Content-Type": "application/x-www-form-urlencoded" },
				body: new URLSearchParams({
					code: options.code,
					client_id: options.clientId,
					client_secret: options.clientSecret,
				}).toString(),
				signal,
			});
			return [response.status, await response.text()];
		};
		[status, text] = await Promise.race([call(), deadline.promise]);
	} catch (err) {
		if (signal.aborted) {
			throw new OAuthError("timeout", `Intercom's token endpoint did not answer within ${timeoutMs} ms.`);
		}
		const reason = err instanceof Error ? err.message : String(err);
		throw new OAuthError("network_error", `Could not reach Intercom's token endpoint: ${reason}`, {
			cause: err,
		});
	} finally {
		deadline.dispose();
	}
	return readTokenAnswer(status, text);
}

function readTokenAnswer(status: number, text: string): { token: string; tokenType: string } {
	let body: unknown;
	try {
		body = JSON.parse(text);
	} catch {
		throw new OAuthError(
			"invalid_response",
			`Intercom's token endpoint answered ${status} with a body that is not JSON. ${status >= 400 ? HINT : ""}`.trim(),
		);
	}
	const record = typeof body === "object" && body !== null ? (body as Record<string, unknown>) : {};
	if (status >= 400 || record.type === "error.list") {
		const { code, message } = parseErrorList(body);
		const said = message ? ` Intercom said: "${message}".` : "";
		throw new OAuthError(
			code ?? "token_exchange_failed",
			`Intercom refused the token exchange (${status}${code ? ` ${code}` : ""}).${said} ${HINT}`,
		);
	}
	// Intercom answers both `token` and `access_token` (same value); older answers only `token`.
	const token = record.access_token ?? record.token;
	if (typeof token !== "string" || token === "") {
		throw new OAuthError("invalid_response", `Intercom's token endpoint answered ${status} without a token.`);
	}
	const tokenType =
		typeof record.token_type === "string" && record.token_type !== "" ? record.token_type : "Bearer";
	return { token, tokenType };
}

/**
 * The workspace a token belongs to, from its `GET /me` answer: the Messenger App ID (`app.id_code`)
 * and the region (`app.region`, e.g. `"EU"`), or null when either is missing or not one this
 * package knows (it then changes no setting rather than guess).
 */
export function workspaceOf(me: AdminWithApp): { appId: string; region: Region } | null {
	const appId = me.app?.id_code;
	const region = me.app?.region?.trim().toLowerCase();
	if (typeof appId !== "string" || appId === "" || !(REGIONS as readonly string[]).includes(region ?? "")) {
		return null;
	}
	return { appId, region: region as Region };
}

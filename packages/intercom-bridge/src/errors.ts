/**
 * The error hierarchy of intercom-bridge. Every error has a stable UPPER_SNAKE `code`, an HTTP
 * `status` where one applies, and a message that says what to do about it.
 *
 * @example
 * try { await store.setSetting(site, "region", "mars") }
 * catch (err) { if (err instanceof ValidationError) console.error(err.message) }
 */

/** Every code an {@link IntercomBridgeError} can carry, with the HTTP status it maps to. */
export const ERROR_CODES = {
	CONFIG_INVALID: 500,
	VALIDATION_FAILED: 400,
	NOT_FOUND: 404,
	CONFLICT: 409,
	STORE_UNAVAILABLE: 503,
	DATA_DIR_LOCKED: 503,
	SECRET_KEY_MISMATCH: 503,
	MIGRATION_FAILED: 500,
	UNAUTHORIZED: 401,
	FORBIDDEN: 403,
	PAYLOAD_TOO_LARGE: 413,
	BODY_INCOMPLETE: 400,
	UNSUPPORTED_MEDIA_TYPE: 415,
	RATE_LIMITED: 429,
	INTERCOM_API_ERROR: 502,
	INTERCOM_AUTH_FAILED: 502,
	OAUTH_FAILED: 400,
	STOPPED: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

const PREFIX = "[intercom-bridge]";

/** An error's message as users see it: without the `[intercom-bridge]` prefix of logs and stacks. */
export function publicMessage(err: Error): string {
	return err.message.startsWith(`${PREFIX} `) ? err.message.slice(PREFIX.length + 1) : err.message;
}

/** Base class of every error this package throws on purpose. */
export class IntercomBridgeError extends Error {
	readonly code: ErrorCode;
	readonly status: number;

	constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
		super(message.startsWith(PREFIX) ? message : `${PREFIX} ${message}`, options);
		this.name = "IntercomBridgeError";
		this.code = code;
		this.status = ERROR_CODES[code];
	}
}

/** Too many requests of a kind from one client address; `retryAfterSeconds` says when to try again. */
export class RateLimitedError extends IntercomBridgeError {
	readonly retryAfterSeconds: number;

	constructor(message: string, retryAfterSeconds: number) {
		super("RATE_LIMITED", message);
		this.name = "RateLimitedError";
		this.retryAfterSeconds = retryAfterSeconds;
	}
}

/** Options or environment are wrong; the message names the option and the fix. */
export class ConfigError extends IntercomBridgeError {
	constructor(message: string, options?: { cause?: unknown }) {
		super("CONFIG_INVALID", message, options);
		this.name = "ConfigError";
	}
}

/** Input from a user, a CLI argument or a request is not acceptable. */
export class ValidationError extends IntercomBridgeError {
	/** The field, setting key or argument that is wrong, when there is one. */
	readonly field: string | undefined;

	constructor(message: string, field?: string) {
		super("VALIDATION_FAILED", message);
		this.name = "ValidationError";
		this.field = field;
	}
}

/** The thing asked for does not exist. */
export class NotFoundError extends IntercomBridgeError {
	constructor(message: string) {
		super("NOT_FOUND", message);
		this.name = "NotFoundError";
	}
}

/** The change would break a uniqueness rule (an email, a code name, a host name). */
export class ConflictError extends IntercomBridgeError {
	readonly field: string | undefined;

	constructor(message: string, field?: string) {
		super("CONFLICT", message);
		this.name = "ConflictError";
		this.field = field;
	}
}

/**
 * The database could not be reached or failed mid-operation. Nothing was half-written (every
 * store method runs in one transaction); callers answering HTTP should send 503 so the sender
 * retries.
 */
export class StoreUnavailableError extends IntercomBridgeError {
	constructor(message: string, options?: { cause?: unknown }) {
		super("STORE_UNAVAILABLE", message, options);
		this.name = "StoreUnavailableError";
	}
}

/** An embedded (PGlite) data directory is held by another running process. */
export class DataDirLockedError extends IntercomBridgeError {
	readonly pid: number;

	constructor(message: string, pid: number) {
		super("DATA_DIR_LOCKED", message);
		this.name = "DataDirLockedError";
		this.pid = pid;
	}
}

/**
 * Long work (a reconciliation) stopped because its `AbortSignal` aborted, e.g. on Ctrl-C. The
 * message says what was done before the stop and how to go on; `cause` is the abort.
 */
export class StoppedError extends IntercomBridgeError {
	constructor(message: string, options?: { cause?: unknown }) {
		super("STOPPED", message, options);
		this.name = "StoppedError";
	}
}

/** A request to Intercom's REST API failed. `status` is Intercom's HTTP status (0 for a network error or timeout). */
export class IntercomApiError extends IntercomBridgeError {
	/** HTTP status from Intercom; 0 when no response arrived (network error, timeout). */
	readonly httpStatus: number;
	/** First error code of Intercom's `error.list` body (e.g. `not_found`, `conflict`), when there is one. */
	readonly intercomCode: string | undefined;
	/** `request_id` of Intercom's error body or `X-Request-Id`, for support tickets. */
	readonly requestId: string | undefined;
	/** The parsed error body, when it was JSON. */
	readonly body: unknown;

	constructor(
		message: string,
		details: {
			httpStatus: number;
			intercomCode?: string;
			requestId?: string;
			body?: unknown;
			cause?: unknown;
		},
	) {
		super("INTERCOM_API_ERROR", message, { cause: details.cause });
		this.name = "IntercomApiError";
		this.httpStatus = details.httpStatus;
		this.intercomCode = details.intercomCode;
		this.requestId = details.requestId;
		this.body = details.body;
	}
}

/**
 * Intercom refused the access token (401 `unauthorized` or a `token_*` code): it was revoked or is
 * invalid. Callers should show "reconnect" (run OAuth "Get token" again) rather than retry.
 */
export class IntercomAuthError extends IntercomApiError {
	constructor(
		message: string,
		details: { httpStatus: number; intercomCode?: string; requestId?: string; body?: unknown },
	) {
		super(message, details);
		(this as { code: ErrorCode }).code = "INTERCOM_AUTH_FAILED";
		this.name = "IntercomAuthError";
	}
}

/** The OAuth flow failed: a bad or expired code, a wrong client secret, a state mismatch, or an `error` on the callback. */
export class OAuthError extends IntercomBridgeError {
	/** Intercom's error code, or ours (`state_mismatch`, `missing_code`, `access_denied` …). */
	readonly oauthCode: string;

	constructor(oauthCode: string, message: string, options?: { cause?: unknown }) {
		super("OAUTH_FAILED", message, options);
		this.name = "OAuthError";
		this.oauthCode = oauthCode;
	}
}

/** A webhook or API request could not be authenticated (missing or wrong signature or key). */
export class SignatureVerificationError extends IntercomBridgeError {
	constructor(message: string) {
		super("UNAUTHORIZED", message);
		this.name = "SignatureVerificationError";
	}
}

/**
 * What stands in front of every REST operation, in Intercom's order: the `Intercom-Version`
 * header, the bearer token (401 `error.list` "Access Token Invalid"), injected faults, then the
 * per-token rate limit whose headers go on every authenticated response.
 */
import type { MiddlewareHandler } from "hono";
import type { EmulatorContext } from "./emulator-context.ts";
import { applyFault, type FaultQueue } from "./faults.ts";
import { errorResponse } from "./intercom-error.ts";
import { type RateLimiter, rateLimitMessage } from "./rate-limit.ts";

/** Values of the `intercom_version` enum in 2.16, plus the Preview names (docs/intercom.md §1.1). */
export const INTERCOM_VERSIONS: readonly string[] = [
	"1.0",
	"1.1",
	"1.2",
	"1.3",
	"1.4",
	...Array.from({ length: 17 }, (_, i) => `2.${i}`),
	"Preview",
	"Unstable",
];

/** The bearer token of a request, or undefined. */
export function bearerToken(request: Request): string | undefined {
	const header = request.headers.get("authorization") ?? "";
	const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
	return match?.[1];
}

/** The region-less path of a request under a region app (`/eu/contacts` → `/contacts`). */
export function apiPath(path: string): string {
	return path.replace(/^\/(us|eu|au)(?=\/|$)/, "") || "/";
}

export function apiGuard(ctx: EmulatorContext, limiter: RateLimiter, faults: FaultQueue): MiddlewareHandler {
	return async (c, next) => {
		const version = c.req.header("intercom-version");
		if (version !== undefined && !INTERCOM_VERSIONS.includes(version)) {
			// Intercom's code for this case is not documented; the message names the accepted values.
			return errorResponse(
				400,
				"intercom_version_invalid",
				`Requested Intercom-Version '${version}' is not valid. Use one of ${INTERCOM_VERSIONS.join(", ")}`,
			);
		}
		const token = bearerToken(c.req.raw);
		if (!token || !ctx.state.tokens.has(token)) {
			// No rate-limit headers without valid credentials (docs/intercom.md §2).
			return errorResponse(401, "unauthorized", "Access Token Invalid");
		}
		const fault = faults.take(apiPath(c.req.path));
		if (fault?.kind === "rate_limit") {
			return errorResponse(
				429,
				"rate_limit_exceeded",
				rateLimitMessage(ctx.options.rateLimitPer10s),
				limiter.exhausted(token),
			);
		}
		if (fault) {
			const faulted = await applyFault(fault, c.req.raw.signal);
			if (faulted) return faulted;
		}
		const verdict = limiter.take(token);
		if (!verdict.allowed) {
			return errorResponse(
				429,
				"rate_limit_exceeded",
				rateLimitMessage(ctx.options.rateLimitPer10s),
				verdict.headers,
			);
		}
		await next();
		for (const [name, value] of Object.entries(verdict.headers)) c.res.headers.set(name, value);
	};
}

/**
 * Response headers of every console page (docs/reliability.md A9): a CSP with a fresh nonce per
 * response and no inline handlers, no framing, no sniffing, no referrer, no caching, and HSTS on
 * HTTPS. Forms may post only to the console, plus the Intercom app hosts "Get token" redirects to
 * (Chromium applies `form-action` to the redirect after a form post).
 */
import { randomBytes } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import { REGIONS } from "../settings/setting-keys.ts";
import type { AdminDeps, AdminEnv } from "./admin-context.ts";
import { isHttps } from "./request-info.ts";

/** The middleware that sets the headers and the `nonce` variable. */
export function securityHeaders(deps: AdminDeps): MiddlewareHandler<AdminEnv> {
	const appOrigins = [...new Set(REGIONS.map((r) => new URL(deps.endpoints(r).app).origin))].join(" ");
	return async (c, next) => {
		const nonce = randomBytes(16).toString("base64");
		c.set("nonce", nonce);
		await next();
		const h = c.res.headers;
		h.set(
			"Content-Security-Policy",
			[
				"default-src 'none'",
				`script-src 'nonce-${nonce}' 'strict-dynamic'`,
				"style-src 'self'",
				"img-src 'self' data:",
				"connect-src 'self'",
				`form-action 'self' ${appOrigins}`,
				"frame-ancestors 'none'",
				"base-uri 'none'",
				"object-src 'none'",
			].join("; "),
		);
		h.set("X-Content-Type-Options", "nosniff");
		h.set("X-Frame-Options", "DENY");
		h.set("Referrer-Policy", "no-referrer");
		h.set("Cross-Origin-Opener-Policy", "same-origin");
		h.set("Cross-Origin-Resource-Policy", "same-origin");
		h.set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()");
		if (!h.has("Cache-Control")) h.set("Cache-Control", "no-store");
		if (isHttps(c, deps)) h.set("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
	};
}

/** The warnings of the reference's admin page, shown on every page of a site. */
import type { Context } from "hono";
import type { SiteSettings } from "../settings/setting-keys.ts";
import type { AdminDeps, AdminEnv } from "./admin-context.ts";
import { type Markup, notice } from "./layout.ts";
import { isHttps, isLoopbackRequest } from "./request-info.ts";

/** Warnings for a site's settings and for how the console is reached. */
export function siteWarnings(c: Context<AdminEnv>, deps: AdminDeps, settings: SiteSettings): Markup[] {
	const out: Markup[] = [];
	// On a loopback host (development, an SSH tunnel) nothing crosses a network: no warning there.
	if (!isHttps(c, deps) && !isLoopbackRequest(c, deps)) {
		out.push(
			notice(
				"warn",
				deps.trustProxy
					? "This console is not reached over HTTPS: passwords and secrets cross the network in clear text. Serve it over HTTPS only."
					: "This console is not reached over HTTPS: passwords and secrets cross the network in clear text. Serve it over HTTPS; behind a reverse proxy that terminates TLS, start it with trustProxy so X-Forwarded-Proto is believed.",
			),
		);
	}
	if (!settings.enabled) {
		out.push(
			notice(
				"warn",
				"Intercom is disabled on this site: no Messenger script is rendered, no contacts are tracked for Intercom, and both webhooks answer 404. Turn on “Enabled” under Intercom setup.",
			),
		);
	} else if (!settings.appId) {
		out.push(notice("warn", "App ID is not set: the Messenger script renders nothing until it is."));
	}
	if (!settings.identityVerificationSecret) {
		out.push(
			notice(
				"warn",
				"The identity verification secret is not set: the Messenger cannot prove who a visitor is, so anyone could pose as another contact. Set it under Intercom setup.",
			),
		);
	}
	return out;
}

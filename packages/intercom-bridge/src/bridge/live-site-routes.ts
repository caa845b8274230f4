/**
 * Live-site endpoints under the bridge's base path:
 *
 *   GET  /messenger/settings       the visitor's Messenger settings (Cache-Control: no-store)
 *   GET  /consents                 the visitor's consent states
 *   POST /consents/:code/agree     agree (same-origin only)
 *   POST /consents/:code/revoke    revoke (same-origin only)
 *   GET  /browser.js               the browser module for single-page apps
 *
 * State changes are accepted only from the site's own pages (Sec-Fetch-Site / Origin), which is
 * what a CSRF token would prove here: there is no session to bind one to.
 */
import { type Context, Hono } from "hono";
import { browserModuleSource } from "../browser/browser-module-source.ts";
import { connectionOf } from "../http/client-address.ts";
import { isSameOrigin, setClientAddress } from "../http/request-info.ts";
import type { BridgeCore } from "./create-bridge-core.ts";
import type { PageView } from "./create-page-view.ts";

const NO_STORE = { "Cache-Control": "no-store, private", Vary: "Cookie" };

const error = (code: string, message: string) => ({ error: { code, message } });

export function createLiveSiteRoutes(core: BridgeCore, pages: PageView): Hono {
	const app = new Hono();
	const { options } = core;
	// The visitor logic reads the address from the request, as for page views: new contacts are
	// limited per address (newContactsPerMinute). Called by the two routes that may create one.
	const noteAddress = (c: Context) => setClientAddress(c.req.raw, connectionOf(c.env).clientAddress);

	app.get("/messenger/settings", async (c) => {
		noteAddress(c);
		const { visit, decision } = await pages.settings(c.req.raw);
		const res = c.json(
			decision.enabled
				? {
						enabled: true,
						settings: decision.settings,
						widgetUrl: decision.widgetUrl,
						dataAllowed: decision.dataAllowed,
					}
				: { enabled: false, reason: decision.reason },
			200,
			NO_STORE,
		);
		if (visit.setCookie) res.headers.append("Set-Cookie", visit.setCookie);
		return res;
	});

	app.get("/consents", async (c) => {
		const visit = await core.visit(c.req.raw, { create: false });
		const states = visit.contact ? await options.store.consentStates(visit.contact.guid) : [];
		return c.json(
			{
				consents: states.map((s) => ({
					codeName: s.consent.codeName,
					displayName: s.consent.displayName,
					text: s.consent.text,
					agreed: s.agreed,
					since: s.since,
				})),
			},
			200,
			NO_STORE,
		);
	});

	for (const action of ["agree", "revoke"] as const) {
		app.post(`/consents/:code/${action}`, async (c) => {
			if (!isSameOrigin(c.req.raw, options.trustProxy)) {
				return c.json(
					error("FORBIDDEN", "Consents can be changed only from this site's own pages (same origin)."),
					403,
				);
			}
			const code = c.req.param("code");
			noteAddress(c);
			const result = await core.setConsent(c.req.raw, code, action);
			if (!result) return c.json(error("NOT_FOUND", `No consent "${code}".`), 404);
			const res = c.json({ consent: code, agreed: result.agreed, shutdown: result.shutdown }, 200, NO_STORE);
			if (result.setCookie) res.headers.append("Set-Cookie", result.setCookie);
			return res;
		});
	}

	app.get("/browser.js", (c) =>
		c.body(browserModuleSource(), 200, {
			"Content-Type": "text/javascript; charset=utf-8",
			"Cache-Control": "public, max-age=3600",
			"X-Content-Type-Options": "nosniff",
		}),
	);

	return app;
}

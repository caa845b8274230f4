/** Small helpers every console route uses: POST-only routes, form fields, site look-up with roles. */
import type { Context, Handler, Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import type { Site } from "../store/site-store.ts";
import type { AdminDeps, AdminEnv } from "./admin-context.ts";
import { canModifySite, roleOn, visibleSites } from "./roles.ts";

/**
 * Registers a state-changing route: POST runs `handler`; any other method answers 405 with
 * `Allow: POST`, so a link or a prefetch can never change anything.
 */
export function postRoute(app: Hono<AdminEnv>, path: string, handler: Handler<AdminEnv>): void {
	app.post(path, handler);
	app.on(["GET", "HEAD", "PUT", "PATCH", "DELETE"], path, (c) =>
		c.text("Method not allowed: this address only accepts a form post.", 405, { Allow: "POST" }),
	);
}

/** The submitted form as strings (files and repeated keys are ignored). */
export async function formFields(c: Context<AdminEnv>): Promise<Record<string, string>> {
	const body = await c.req.parseBody();
	const out: Record<string, string> = {};
	for (const [key, value] of Object.entries(body)) if (typeof value === "string") out[key] = value;
	return out;
}

export interface SiteAccess {
	site: Site;
	/** Every site the user may see (for the picker). */
	sites: Site[];
	canModify: boolean;
}

/**
 * The site named in the path, if the user may see it. An unknown site and a site the user has no
 * role on both answer 404, so the console does not reveal which sites exist.
 */
export async function siteAccess(
	c: Context<AdminEnv>,
	deps: AdminDeps,
	codeName: string,
): Promise<SiteAccess> {
	const user = c.get("user");
	const sites = visibleSites(user, await deps.store.listSites());
	const site = sites.find((s) => s.codeName === codeName);
	if (!site || roleOn(user, site.id) === null) throw new HTTPException(404, { message: "No such site." });
	return { site, sites, canModify: canModifySite(user, site.id) };
}

/** Refuses a change by a read-only user (the page hides the controls; this is the real check). */
export function requireModify(allowed: boolean): void {
	if (!allowed) {
		throw new HTTPException(403, {
			message: "Your role on this site is read only: you cannot change anything.",
		});
	}
}

/**
 * What an administrator may do. Roles are per site; a role with no site covers every site, and a
 * role on one site overrides it there. `read` sees everything and changes nothing (as in the
 * reference); `modify` may change settings. Activity types and consents are shared by all sites,
 * so changing them needs `modify` on every site.
 */
import type { AdminRole, AdminUser } from "../store/admin-user-store.ts";
import type { Site } from "../store/site-store.ts";

/** The user's role on a site, or null when the user may not see it. */
export function roleOn(user: AdminUser, siteId: number): AdminRole | null {
	return (
		user.roles.find((r) => r.siteId === siteId)?.role ??
		user.roles.find((r) => r.siteId === null)?.role ??
		null
	);
}

/** True when the user may change the site's settings. */
export const canModifySite = (user: AdminUser, siteId: number) => roleOn(user, siteId) === "modify";

/** True when the user may change what all sites share (activity types, consents). */
export const canModifyShared = (user: AdminUser) =>
	user.roles.some((r) => r.siteId === null && r.role === "modify") &&
	!user.roles.some((r) => r.siteId !== null && r.role === "read");

/** True when the user has a role that covers every site (sees the sign-in log). */
export const hasGlobalRole = (user: AdminUser) => user.roles.some((r) => r.siteId === null);

/** The sites the user may see, in the store's order. */
export function visibleSites(user: AdminUser, sites: readonly Site[]): Site[] {
	return sites.filter((s) => roleOn(user, s.id) !== null);
}

/**
 * The site ids whose contacts and activities the user may see, or null for all of them (a role
 * on every site). Contacts are shared by all sites, so a role on one site shows only the
 * contacts that belong to it (activities there, or data sent to Intercom from it).
 */
export function contactScope(user: AdminUser, sites: readonly Site[]): number[] | null {
	return hasGlobalRole(user) ? null : visibleSites(user, sites).map((s) => s.id);
}

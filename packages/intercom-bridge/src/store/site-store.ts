/**
 * Sites and the host names they answer to. The site with code name `default` answers every host
 * that no other site claims.
 */
import { asc, eq } from "drizzle-orm";
import { NotFoundError, ValidationError } from "../errors.ts";
import { singleFlight } from "./cache-helpers.ts";
import { checkCodeName, checkDisplayName } from "./code-name.ts";
import { siteHosts, sites } from "./schema.ts";
import { guard, type StoreContext } from "./store-context.ts";

export const DEFAULT_SITE_CODE = "default";

export interface Site {
	id: number;
	codeName: string;
	displayName: string;
	hostNames: string[];
	createdAt: Date;
}

/**
 * Normalises a host name or a Host header: lowercase, no port, no trailing dot.
 * @throws ValidationError for something that is not a host name.
 */
export function normalizeHost(raw: string): string {
	let host = raw.trim().toLowerCase();
	if (host.startsWith("[")) {
		const end = host.indexOf("]");
		host = end > 0 ? host.slice(0, end + 1) : host;
	} else {
		host = host.replace(/:\d+$/, "");
	}
	host = host.replace(/\.$/, "");
	if (
		!/^(\[[0-9a-f:.]+\]|[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*)$/.test(
			host,
		) ||
		host.length > 253
	) {
		throw new ValidationError(`"${raw}" is not a valid host name (e.g. www.example.com).`, "hostNames");
	}
	return host;
}

export function createSiteStore(ctx: StoreContext) {
	const { db } = ctx;
	let cache: { at: number; sites: Site[]; byHost: Map<string, Site> } | undefined;

	async function loadAll(): Promise<Site[]> {
		const rows = await db
			.select({ site: sites, host: siteHosts.host })
			.from(sites)
			.leftJoin(siteHosts, eq(siteHosts.siteId, sites.id))
			.orderBy(asc(sites.id), asc(siteHosts.host));
		const byId = new Map<number, Site>();
		for (const { site, host } of rows) {
			let entry = byId.get(site.id);
			if (!entry) {
				entry = { ...site, hostNames: [] };
				byId.set(site.id, entry);
			}
			if (host) entry.hostNames.push(host);
		}
		return [...byId.values()];
	}

	// The read in flight, shared by concurrent callers (see settings-store.ts), and a generation
	// bumped by every write so that a read started before it is neither shared nor cached after it.
	const loads = new Map<string, Promise<NonNullable<typeof cache>>>();
	let generation = 0;

	async function cached() {
		if (cache && ctx.now() - cache.at <= ctx.cacheMaxAgeMs) return cache;
		const started = generation;
		return singleFlight(loads, "sites", async () => {
			const all = await guard(loadAll);
			const byHost = new Map<string, Site>();
			for (const site of all) for (const host of site.hostNames) byHost.set(host, site);
			const loaded = { at: ctx.now(), sites: all, byHost };
			if (generation === started) cache = loaded;
			return loaded;
		});
	}

	const invalidate = () => {
		generation++;
		cache = undefined;
		loads.clear();
	};

	return {
		/** Drops cached sites so the next read sees changes at once (writes through this store do it themselves). */
		invalidateSites: invalidate,

		/**
		 * Every site with its host names, by id. `cached`: from the sites cache (up to
		 * `cacheMaxAgeMs` old, like settings), for per-contact work such as contact sync.
		 */
		async listSites(options: { cached?: boolean } = {}): Promise<Site[]> {
			if (options.cached) return [...(await cached()).sites];
			return guard(loadAll);
		},

		/** A site by code name, or null. */
		async getSite(codeName: string): Promise<Site | null> {
			return (await guard(loadAll)).find((s) => s.codeName === codeName) ?? null;
		},

		/**
		 * A site by code name.
		 * @throws NotFoundError listing the sites that exist.
		 */
		async requireSite(codeName: string): Promise<Site> {
			const all = await guard(loadAll);
			const site = all.find((s) => s.codeName === codeName);
			if (!site) {
				throw new NotFoundError(
					`No site "${codeName}". Sites: ${all.map((s) => s.codeName).join(", ") || "none (run migrate first)"}.`,
				);
			}
			return site;
		},

		/**
		 * The site that answers a Host header: the one that claims the host, else `default`, else null.
		 * Served from a cache refreshed at most every `cacheMaxAgeMs`, so a page view costs no query.
		 */
		async resolveSiteByHost(hostHeader: string | null | undefined): Promise<Site | null> {
			const { sites: all, byHost } = await cached();
			if (hostHeader) {
				try {
					const hit = byHost.get(normalizeHost(hostHeader));
					if (hit) return hit;
				} catch {
					// A malformed Host header is answered by the default site, as any unclaimed host is.
				}
			}
			return all.find((s) => s.codeName === DEFAULT_SITE_CODE) ?? null;
		},

		/**
		 * Creates a site.
		 * @throws ConflictError when the code name or a host name is taken.
		 */
		async createSite(input: { codeName: string; displayName: string; hostNames?: string[] }): Promise<Site> {
			const codeName = checkCodeName(input.codeName, "site");
			const displayName = checkDisplayName(input.displayName, "site");
			const hostNames = [...new Set((input.hostNames ?? []).map(normalizeHost))];
			const site = await guard(
				() =>
					db.transaction(async (tx) => {
						const [row] = await tx.insert(sites).values({ codeName, displayName }).returning();
						if (!row) throw new Error("insert returned no row");
						if (hostNames.length > 0) {
							await tx.insert(siteHosts).values(hostNames.map((host) => ({ host, siteId: row.id })));
						}
						return { ...row, hostNames };
					}),
				`A site with code name "${codeName}" or one of the host names ${hostNames.join(", ")} already exists.`,
			);
			invalidate();
			return site;
		},

		/** Creates the `default` site when it is missing. Returns it. Safe to race. */
		async ensureDefaultSite(): Promise<Site> {
			await guard(() =>
				db
					.insert(sites)
					.values({ codeName: DEFAULT_SITE_CODE, displayName: "Default site" })
					.onConflictDoNothing({ target: sites.codeName }),
			);
			invalidate();
			const all = await guard(loadAll);
			const site = all.find((s) => s.codeName === DEFAULT_SITE_CODE);
			if (!site) throw new Error("default site missing after insert");
			return site;
		},

		/**
		 * Adds host names to a site.
		 * @throws ConflictError when another site claims one of them.
		 */
		async addSiteHosts(siteId: number, hostNames: string[]): Promise<void> {
			const hosts = [...new Set(hostNames.map(normalizeHost))];
			if (hosts.length === 0) return;
			await guard(
				() => db.insert(siteHosts).values(hosts.map((host) => ({ host, siteId }))),
				`One of the host names ${hosts.join(", ")} already belongs to a site.`,
			);
			invalidate();
		},
	};
}

export type SiteStore = ReturnType<typeof createSiteStore>;

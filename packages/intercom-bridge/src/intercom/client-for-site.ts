/**
 * The Intercom client of one site: the site's token, region and workspace, on the caller's
 * endpoints, logger and (counted) fetch. The jobs and the contact sync make one per site they call;
 * the job runner's factory hands back one shared client per workspace token.
 */
import { ConfigError } from "../errors.ts";
import type { Logger } from "../logger.ts";
import type { Region, SiteSettings } from "../settings/setting-keys.ts";
import type { EndpointsResolver, IntercomEndpoints } from "./endpoints.ts";
import type { RateBudget } from "./rate-budget.ts";

/** What a client factory is given for a site (the job runner's own, or a test's fake). */
export interface SiteClientInput {
	token: string;
	region: Region;
	endpoints: IntercomEndpoints;
	logger: Logger;
	/** The fetch to call Intercom with: it counts the answers (see JobRunner.intercomCalls). */
	fetch: typeof fetch;
	/** The site's workspace (Messenger app id), when set: the rate budget's key. */
	appId?: string | null;
	/** The workspace's shared rate budget (the job runner fills it in); pass it to the client. */
	rateBudget?: RateBudget;
}

/** What {@link clientForSite} needs: a factory of clients `C`, and what every client is given. */
export interface SiteClientDeps<C> {
	createClient: (input: SiteClientInput) => C;
	endpoints: EndpointsResolver;
	logger: Logger;
	fetch: typeof fetch;
}

/**
 * The client for a connected site (the caller checked it has a token and decided what a site
 * without one means for its job).
 * @throws ConfigError when the site has no access token.
 */
export function clientForSite<C>(
	deps: SiteClientDeps<C>,
	settings: Pick<SiteSettings, "accessToken" | "region" | "appId">,
): C {
	if (!settings.accessToken)
		throw new ConfigError(
			"The site is not connected to Intercom (no accessToken): connect it in the console before calling Intercom for it.",
		);
	return deps.createClient({
		token: settings.accessToken,
		region: settings.region,
		endpoints: deps.endpoints(settings.region),
		logger: deps.logger,
		fetch: deps.fetch,
		appId: settings.appId,
	});
}

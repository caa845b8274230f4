/**
 * Intercom's three kinds of host per region (docs/intercom.md §9.2): the REST API, the Messenger's
 * `api_base`, and the app (OAuth authorize page, inbox links). Everything that talks to Intercom
 * takes an {@link IntercomEndpoints} so tests can point it at the emulator; nothing hard-codes a host.
 */
import type { Region } from "../settings/setting-keys.ts";

export interface IntercomEndpoints {
	/** REST API base, e.g. `https://api.eu.intercom.io` (no trailing slash). Also serves `/auth/eagle/token`. */
	api: string;
	/** Messenger `api_base`, e.g. `https://api-iam.eu.intercom.io`. */
	messenger: string;
	/** App host, e.g. `https://app.eu.intercom.com`: `/oauth` authorize page and `/a/apps/{app_id}/inbox/...` links. */
	app: string;
	/** Base of the Messenger widget script: `${widget}/{app_id}` is loaded by the snippet. */
	widget: string;
}

const SUFFIX: Record<Region, string> = { us: "", eu: ".eu", au: ".au" };

/** The real Intercom endpoints of a region. */
export function intercomEndpoints(region: Region): IntercomEndpoints {
	const s = SUFFIX[region];
	return {
		api: `https://api${s}.intercom.io`,
		messenger: `https://api-iam${s}.intercom.io`,
		app: `https://app${s}.intercom.com`,
		widget: "https://widget.intercom.io/widget",
	};
}

/** Resolves the endpoints to use: an override (e.g. from the emulator) per region, else the real ones. */
export type EndpointsResolver = (region: Region) => IntercomEndpoints;

/** The default resolver: real Intercom. */
export const realIntercom: EndpointsResolver = intercomEndpoints;

/** Link to a conversation in the Intercom inbox. */
export function conversationUrl(endpoints: IntercomEndpoints, appId: string, conversationId: string): string {
	return `${endpoints.app}/a/apps/${encodeURIComponent(appId)}/inbox/inbox/conversation/${encodeURIComponent(conversationId)}`;
}

/** What the bridge's parts (live site, messenger, webhooks, jobs) share. */
import type { ResolvedBridgeOptions } from "./bridge-options.ts";

export interface BridgeContext {
	readonly options: ResolvedBridgeOptions;
}

/** The Intercom hosts of an emulator served at `url` (as `emulator.endpoints()` gives them in-process). */
import type { EndpointsResolver } from "../../src/intercom/endpoints.ts";
import type { EmulatorRegion } from "../../src/testing/index.ts";

export function emulatorEndpoints(url: string): EndpointsResolver {
	return (region: EmulatorRegion = "us") => ({
		api: `${url}/${region}`,
		messenger: `${url}/${region}/iam`,
		app: `${url}/${region}/app`,
		widget: `${url}/widget`,
	});
}

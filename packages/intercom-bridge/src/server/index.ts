/** `intercom-bridge/server`: run the service on node:http. */

export { parsePort, type RunServiceOptions, runService, type ServiceEnv } from "./run-service.ts";
export { serviceHealth } from "./service-health.ts";
export {
	createServiceApp,
	type RunningServer,
	type StartServerOptions,
	startServer,
} from "./start-server.ts";

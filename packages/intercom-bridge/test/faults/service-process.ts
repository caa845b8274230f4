/**
 * The real service (runService: the routes, admin console, job runner and SIGTERM handling of
 * `npm start`) for the fault tests, with Intercom at EMULATOR_URL and a free port. Prints and logs
 * to stdout like the service, and tells the parent its port over IPC.
 */
import { runService } from "../../src/server/run-service.ts";
import { emulatorEndpoints } from "./emulator-endpoints.ts";

const server = await runService({ ...process.env, PORT: "0" }, (line) => process.stdout.write(`${line}\n`), {
	endpoints: emulatorEndpoints(process.env.EMULATOR_URL ?? ""),
});
process.send?.({ port: server.port });

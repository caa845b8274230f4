/**
 * The real service (runService: the routes, admin console, job runner and SIGTERM handling of
 * `npm start`) for the fault tests, with Intercom at EMULATOR_URL and a free port. Prints and logs
 * to stdout like the service, and tells the parent its port over IPC. SERVICE_PORT picks the port
 * (default: a free one) and SERVICE_JOB_START_DELAY_MS the runner's longest wait for a first answer.
 */
import { runService } from "../../src/server/run-service.ts";
import { emulatorEndpoints } from "./emulator-endpoints.ts";

const delay = process.env.SERVICE_JOB_START_DELAY_MS;
const server = await runService(
	{ ...process.env, PORT: process.env.SERVICE_PORT ?? "0" },
	(line) => process.stdout.write(`${line}\n`),
	{
		endpoints: emulatorEndpoints(process.env.EMULATOR_URL ?? ""),
		...(delay && { jobStartDelayMs: Number(delay) }),
	},
);
process.send?.({ port: server.port });

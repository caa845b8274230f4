/**
 * `intercom-bridge fake-intercom`: runs the Intercom emulator on a local port for manual tests and
 * demos, printing its endpoints. Only `--token` and tokens issued through its OAuth are accepted.
 *
 * @example
 * npx intercom-bridge fake-intercom --port 4010 --token dev-token --client-id c --client-secret s
 */
import { randomBytes } from "node:crypto";
import { type Command, InvalidArgumentError } from "commander";
import type { EmulatorApp } from "../testing/index.ts";
import type { CliIo } from "./output.ts";

const integer = (name: string) => (raw: string) => {
	const value = Number(raw);
	if (!Number.isInteger(value) || value < 0)
		throw new InvalidArgumentError(`${name} must be a whole number.`);
	return value;
};

/** Resolves when the process is asked to stop (Ctrl-C or SIGTERM). */
const untilSignal = () =>
	new Promise<void>((resolve) => {
		process.once("SIGINT", () => resolve());
		process.once("SIGTERM", () => resolve());
	});

/** Adds the `fake-intercom` command. `untilStopped` is injectable for tests. */
export function registerFakeIntercomCommand(
	program: Command,
	io: CliIo,
	untilStopped: () => Promise<void> = untilSignal,
): void {
	program
		.command("fake-intercom")
		.description("run a local Intercom emulator (REST API, OAuth, Messenger stand-in) until Ctrl-C")
		.option("--port <n>", "port (0 picks a free one)", integer("--port"), 4010)
		.option("--host <host>", "interface to listen on", "127.0.0.1")
		.option("--token <token>", "the accepted access token (default: a random one, printed)")
		.option("--client-id <id>", "OAuth client id")
		.option("--client-secret <secret>", "OAuth client secret")
		.option("--redirect-uri <uri...>", "allowed OAuth redirect URIs (default: any http(s) URL)")
		.option("--rate-limit <n>", "requests per token per 10 seconds", integer("--rate-limit"))
		.option("--app-id <id>", "Messenger app id (workspace)", "emulator")
		.option("--identity-secret <secret>", "Messenger identity verification secret")
		.option("--region <region>", "region /me reports: us, eu or au", "us")
		.option(
			"--search-index-delay <ms>",
			"hide new contacts from search this long",
			integer("--search-index-delay"),
		)
		.action(async (opts: Record<string, string | number | string[] | undefined>) => {
			const token = (opts.token as string | undefined) ?? `fake_${randomBytes(12).toString("hex")}`;
			const region = String(opts.region);
			if (region !== "us" && region !== "eu" && region !== "au") {
				throw new InvalidArgumentError("--region must be us, eu or au.");
			}
			const app: EmulatorApp = { appId: String(opts.appId), region };
			if (opts.identitySecret) app.identitySecret = String(opts.identitySecret);
			if ((opts.clientId === undefined) !== (opts.clientSecret === undefined)) {
				throw new InvalidArgumentError("--client-id and --client-secret go together.");
			}
			// Loaded here, not with the CLI: every other command (`serve` above all) would pay for it.
			const { createIntercomEmulator } = await import("../testing/index.ts");
			const emulator = createIntercomEmulator({
				tokens: [token],
				apps: [app],
				oauthClients: opts.clientId
					? [
							{
								clientId: String(opts.clientId),
								clientSecret: String(opts.clientSecret),
								...(opts.redirectUri ? { redirectUris: opts.redirectUri as string[] } : {}),
							},
						]
					: [],
				...(opts.rateLimit !== undefined ? { rateLimitPer10s: Number(opts.rateLimit) } : {}),
				...(opts.searchIndexDelay !== undefined ? { searchIndexDelayMs: Number(opts.searchIndexDelay) } : {}),
			});
			const server = await emulator.listen({ port: Number(opts.port), host: String(opts.host) });
			const lines = [
				`Intercom emulator on ${server.url}`,
				`  access token: ${opts.token ? "(as given)" : token}`,
			];
			for (const r of ["us", "eu", "au"] as const) {
				const e = emulator.endpoints(r);
				lines.push(`  ${r}: api ${e.api}  app ${e.app}  messenger ${e.messenger}`);
			}
			lines.push(`  widget: ${emulator.endpoints().widget}/${app.appId}`, "Ctrl-C stops it.");
			io.stdout(lines.join("\n"));
			await untilStopped();
			await server.close();
		});
}

/** `intercom-bridge sites`: sites and the host names they answer to. */
import type { Command } from "commander";
import type { CliContext } from "./cli-context.ts";
import { formatTable, jsonOption } from "./output.ts";

/** Adds `sites add` and `sites list`. */
export function registerSitesCommand(program: Command, { io, withStore, print }: CliContext): void {
	const sites = program.command("sites").description("sites and the host names they answer to");
	sites
		.command("add <codeName> <displayName>")
		.description("add a site")
		.option("--host <host...>", "host names the site answers to (e.g. www.example.com)")
		.action((codeName: string, displayName: string, opts: { host?: string[] }) =>
			withStore(async (store) => {
				const site = await store.createSite({ codeName, displayName, hostNames: opts.host ?? [] });
				await store.ensureWebhookApiKeys();
				io.stdout(`Added site ${site.codeName} (${site.hostNames.join(", ") || "no host names"}).`);
			}),
		);
	sites
		.command("list")
		.description("list sites")
		.addOption(jsonOption())
		.action((opts: { json?: boolean }) =>
			withStore(async (store) => {
				const all = await store.listSites();
				print(opts.json, all, () =>
					formatTable(
						all.map((s) => ({
							...s,
							hosts: s.hostNames.join(", ") || (s.codeName === "default" ? "(any other host)" : ""),
						})),
						[
							["codeName", "CODE NAME"],
							["displayName", "DISPLAY NAME"],
							["hosts", "HOSTS"],
						],
					),
				);
			}),
		);
}

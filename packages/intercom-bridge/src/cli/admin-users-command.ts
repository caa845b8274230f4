/** `intercom-bridge admin-users`: administrators of the admin console. */
import { type Command, Option } from "commander";
import { NotFoundError, ValidationError } from "../errors.ts";
import type { CliContext } from "./cli-context.ts";
import { formatTable, jsonOption } from "./output.ts";

/** Adds `admin-users add|set-password|list`. */
export function registerAdminUsersCommand(
	program: Command,
	{ io, withStore, print, actor }: CliContext,
): void {
	const admins = program.command("admin-users").description("administrators of the admin console");
	admins
		.command("add <email>")
		.description("add an administrator; without --password one is generated and printed once")
		.option("--password <password>", "at least 12 characters")
		.option("--site <site>", "limit the role to this site (default: every site)")
		.addOption(new Option("--role <role>", "read or modify").choices(["read", "modify"]).default("modify"))
		.action((email: string, opts: { password?: string; site?: string; role: "read" | "modify" }) =>
			withStore(async (store) => {
				const siteId = opts.site ? (await store.requireSite(opts.site)).id : null;
				const { user, generatedPassword } = await store.addAdminUser({
					email,
					password: opts.password,
					siteId,
					role: opts.role,
				});
				await store.recordAudit({
					kind: "admin",
					key: user.email,
					action: `add ${opts.role}${opts.site ? ` on ${opts.site}` : ""}`,
					actor: actor(),
				});
				io.stdout(`Added administrator ${user.email} (${opts.role} on ${opts.site ?? "every site"}).`);
				if (generatedPassword) io.stdout(`Password (shown once): ${generatedPassword}`);
			}),
		);
	admins
		.command("set-password <email>")
		.description(
			"set a new password (generated and printed once without --password) and end the administrator's sessions",
		)
		.option("--password <password>", "at least 12 characters")
		.action((email: string, opts: { password?: string }) =>
			withStore(async (store) => {
				try {
					const { user, generatedPassword } = await store.resetAdminPassword(email, opts.password);
					await store.recordAudit({ kind: "admin", key: user.email, action: "password", actor: actor() });
					io.stdout(`New password set for ${user.email}; their console sessions have ended.`);
					if (generatedPassword) io.stdout(`Password (shown once): ${generatedPassword}`);
				} catch (err) {
					if (err instanceof NotFoundError) throw new ValidationError((err as Error).message, "email");
					throw err;
				}
			}),
		);
	admins
		.command("list")
		.description("list administrators and their roles")
		.addOption(jsonOption())
		.action((opts: { json?: boolean }) =>
			withStore(async (store) => {
				const users = await store.listAdminUsers();
				const siteNames = new Map((await store.listSites()).map((s) => [s.id, s.codeName]));
				const rows = users.map((u) => ({
					...u,
					rolesText: u.roles
						.map((r) => `${r.role}@${r.siteId === null ? "*" : siteNames.get(r.siteId)}`)
						.join(", "),
				}));
				print(opts.json, users, () =>
					formatTable(rows, [
						["email", "EMAIL"],
						["rolesText", "ROLES"],
						["createdAt", "CREATED"],
					]),
				);
			}),
		);
}

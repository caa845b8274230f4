/**
 * `intercom-bridge fake-intercom`: starts the emulator, prints its endpoints, accepts only the
 * given token, and stops when asked.
 */
import { Command } from "commander";
import { describe, expect, it } from "vitest";
import { registerFakeIntercomCommand } from "../../src/cli/fake-intercom-command.ts";
import type { CliIo } from "../../src/cli/output.ts";

describe("fake-intercom command", () => {
	it("serves the emulator with the given token until stopped", async () => {
		const out: string[] = [];
		const io: CliIo = {
			stdout: (t) => out.push(t),
			stderr: (t) => out.push(t),
			readStdin: async () => "",
			env: {},
		};
		let stop: () => void = () => {};
		let printed: () => void = () => {};
		const ready = new Promise<void>((resolve) => {
			printed = resolve;
		});
		const program = new Command().exitOverride();
		registerFakeIntercomCommand(
			program,
			{
				...io,
				stdout: (t) => {
					out.push(t);
					printed();
				},
			},
			() => new Promise<void>((resolve) => (stop = resolve)),
		);
		const run = program.parseAsync(
			["fake-intercom", "--port", "0", "--token", "cli-token", "--rate-limit", "5", "--app-id", "cliapp01"],
			{ from: "user" },
		);
		await ready;
		const api = /eu: api (\S+)/.exec(out.join("\n"))?.[1] ?? "";
		expect(api).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/eu$/);
		const me = await fetch(`${api}/me`, { headers: { Authorization: "Bearer cli-token" } });
		expect(me.status).toBe(200);
		expect(me.headers.get("x-ratelimit-limit")).toBe("5");
		expect(((await me.json()) as { app: { id_code: string } }).app.id_code).toBe("cliapp01");
		expect((await fetch(`${api}/me`, { headers: { Authorization: "Bearer other" } })).status).toBe(401);
		stop();
		await run;
		await expect(fetch(`${api}/me`)).rejects.toThrow();
	});
});

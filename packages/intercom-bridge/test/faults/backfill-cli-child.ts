/**
 * `intercom-bridge sync backfill …` (or another command) as a child process (the real CLI, see
 * backfill-cli-process.ts) for the backfill and stop fault tests: its JSON lines, stderr and exit code. `env` is added to this
 * process's environment; a key set to undefined is removed (e.g. DATABASE_URL for PGlite).
 */
import { type ChildProcess, fork } from "node:child_process";
import { once } from "node:events";

/** A running CLI: the child, its exit code, its whole stdout lines so far, its stderr. */
export interface BackfillCli {
	child: ChildProcess;
	exited: Promise<number | null>;
	lines(): string[];
	/** The parsed JSON lines (progress and done events). */
	events(): Array<Record<string, unknown>>;
	stderr(): string;
}

export function startBackfillCli(args: string[], env: Record<string, string | undefined>): BackfillCli {
	return startCli(["sync", "backfill", ...args], env);
}

/** Any `intercom-bridge` command line (`argv` without the program) as a child process. */
export function startCli(argv: string[], env: Record<string, string | undefined>): BackfillCli {
	const childEnv: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: "silent" };
	for (const [k, v] of Object.entries(env)) {
		if (v === undefined) delete childEnv[k];
		else childEnv[k] = v;
	}
	const child = fork(new URL("./backfill-cli-process.ts", import.meta.url), argv, {
		execArgv: ["--conditions=dev-source", "--no-warnings"],
		env: childEnv,
		stdio: ["ignore", "pipe", "pipe", "ipc"],
	});
	let out = "";
	let err = "";
	child.stdout?.setEncoding("utf8").on("data", (c: string) => {
		out += c;
	});
	child.stderr?.setEncoding("utf8").on("data", (c: string) => {
		err += c;
	});
	// Whole lines only: a SIGKILL may cut the last one short.
	const lines = () => out.split("\n").slice(0, -1).filter(Boolean);
	return {
		child,
		exited: once(child, "exit").then(([code]) => code as number | null),
		lines,
		events: () => lines().map((l) => JSON.parse(l) as Record<string, unknown>),
		stderr: () => err,
	};
}

/**
 * `intercom-bridge sync`: the backfill of a site's contacts to Intercom (decision 0031) and its
 * status. The backfill runs in this process; Ctrl-C stops it cleanly and the next start resumes.
 */
import { type Command, InvalidArgumentError } from "commander";
import { ConflictError, NotFoundError } from "../errors.ts";
import { type EndpointsResolver, realIntercom } from "../intercom/endpoints.ts";
import { createLogger } from "../logger.ts";
import type { BackfillRun } from "../store/backfill-store.ts";
import { runBackfill } from "../sync/run-backfill.ts";
import type { CliContext } from "./cli-context.ts";
import { jsonOption } from "./output.ts";

/** The run as printed: counts, cursor and state, dates as ISO strings. */
function runJson(run: BackfillRun) {
	return {
		state: run.state,
		total: run.total,
		sent: run.sent,
		skipped: run.skipped,
		failed: run.failed,
		cursor: run.cursorGuid,
		lastError: run.lastError,
		startedAt: run.startedAt.toISOString(),
		updatedAt: run.updatedAt.toISOString(),
		finishedAt: run.finishedAt?.toISOString() ?? null,
	};
}

/** One line: a bar of 30 cells and the counts. */
export function progressBar(run: BackfillRun): string {
	const done = run.sent + run.skipped + run.failed;
	const share = run.total > 0 ? Math.min(1, done / run.total) : 1;
	const cells = Math.round(share * 30);
	return `[${"#".repeat(cells)}${"-".repeat(30 - cells)}] ${Math.floor(share * 100)}% ${done}/${run.total} (sent ${run.sent}, skipped ${run.skipped}, failed ${run.failed}) ${run.state}`;
}

const leaseSeconds = (raw: string) => {
	const n = /^\d+$/.test(raw.trim()) ? Number(raw) : Number.NaN;
	if (!(Number.isSafeInteger(n) && n >= 1 && n <= 3600))
		throw new InvalidArgumentError("expected a whole number of seconds from 1 to 3600.");
	return n;
};

/** Adds `sync backfill` and `sync status`. `endpoints` is Intercom's own unless a test passes the emulator's. */
export function registerSyncCommand(
	program: Command,
	context: CliContext,
	endpoints: EndpointsResolver = realIntercom,
): void {
	const { withStore, print, io } = context;
	const sync = program.command("sync").description("send the site's contacts to Intercom");
	sync
		.command("backfill")
		.description(
			"send every eligible contact of a site to its Intercom workspace (resumes where it stopped; Ctrl-C stops)",
		)
		.requiredOption("--site <code>", "the site's code name")
		.option("--concurrency <n>", "contacts in flight at once", leaseSeconds, 8)
		.option(
			"--lease-seconds <n>",
			"after how long a dead run is taken over by another start",
			leaseSeconds,
			30,
		)
		.action((opts: { site: string; concurrency: number; leaseSeconds: number }) =>
			withStore(
				async (store) => {
					const controller = new AbortController();
					const stop = () => controller.abort();
					process.on("SIGINT", stop);
					process.on("SIGTERM", stop);
					// A progress bar for people; JSON lines for machines and logs.
					const tty = io.isTTY === true;
					let lastLine = 0;
					const onProgress = (run: BackfillRun) => {
						if (tty) {
							const now = Date.now();
							if (now - lastLine < 100 && run.state === "running") return;
							lastLine = now;
							process.stderr.write(`\r${progressBar(run)}`);
						} else io.stdout(JSON.stringify({ event: "progress", ...runJson(run) }));
					};
					try {
						const result = await runBackfill({
							store,
							logger: createLogger({ level: io.env.LOG_LEVEL ?? "warn" }),
							site: opts.site,
							endpoints,
							signal: controller.signal,
							concurrency: opts.concurrency,
							leaseMs: opts.leaseSeconds * 1000,
							startedBy: context.actor(),
							onProgress,
						});
						if (tty) process.stderr.write("\n");
						if (result.outcome === "busy")
							throw new ConflictError(
								`Another runner is running the backfill of "${opts.site}" (its lease ends ${new Date(result.run.leaseUntil).toISOString()}); wait for it or stop it.`,
							);
						if (result.outcome === "lost")
							throw new ConflictError("Another runner took this backfill over; it goes on there.");
						if (result.outcome === "paused")
							throw new ConflictError(
								"Backfill stopped; run `intercom-bridge sync backfill` again to resume where it stopped.",
							);
						if (result.outcome === "failed")
							throw new ConflictError(
								`Backfill stopped on an error (${result.run.lastError}); run it again to resume where it stopped.`,
							);
						if (!tty) io.stdout(JSON.stringify({ event: "done", ...runJson(result.run) }));
						else
							io.stdout(
								`done: sent ${result.run.sent}, skipped ${result.run.skipped}, failed ${result.run.failed}`,
							);
					} finally {
						process.off("SIGINT", stop);
						process.off("SIGTERM", stop);
					}
				},
				{ site: opts.site, section: "sync" },
			),
		);
	sync
		.command("status")
		.description("show the state and progress of a site's backfill")
		.requiredOption("--site <code>", "the site's code name")
		.addOption(jsonOption())
		.action((opts: { site: string; json?: boolean }) =>
			withStore(async (store) => {
				const site = await store.getSite(opts.site);
				if (!site) throw new NotFoundError(`No site "${opts.site}" (see \`intercom-bridge sites list\`).`);
				const run = await store.getBackfill(site.id);
				const value = run ? runJson(run) : { state: "never-run" };
				print(opts.json, value, () => (run ? progressBar(run) : "no backfill yet"));
			}),
		);
}

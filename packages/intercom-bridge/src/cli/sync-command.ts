/**
 * `intercom-bridge sync`: the backfill of a site's contacts to Intercom (decision 0031) and its
 * status, and reconciliation (decision 0032). Both run in this process; Ctrl-C or SIGTERM stops
 * them cleanly (stop-on-signals.ts: exit 130 or 143, what was done on stderr) and the next
 * backfill start resumes. Both send the data attribute mapping the service's live
 * sync sends (INTERCOM_BRIDGE_DATA_ATTRIBUTES).
 */
import { type Command, InvalidArgumentError } from "commander";
import { ConflictError, NotFoundError, StoppedError } from "../errors.ts";
import { type EndpointsResolver, realIntercom } from "../intercom/endpoints.ts";
import { createLogger } from "../logger.ts";
import type { BackfillRun } from "../store/backfill-store.ts";
import type { Store } from "../store/create-store.ts";
import { parseDataAttributeMapping } from "../sync/parse-data-attribute-mapping.ts";
import type { ReconcileReport } from "../sync/reconcile-contacts.ts";
import { type ReconcileSiteResult, reconcileSite } from "../sync/reconcile-site.ts";
import { runBackfill } from "../sync/run-backfill.ts";
import type { CliContext } from "./cli-context.ts";
import { jsonOption } from "./output.ts";
import { stopOnSignals } from "./stop-on-signals.ts";

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

/** Items of each list a human summary shows; `--json` has them all. */
const SHOWN = 20;

/** The counts of a comparison and the first {@link SHOWN} items of each list. */
export function reconcileSummary(report: ReconcileReport): string {
	const lines = [
		`eligible contacts here:  ${report.eligible}`,
		`users in Intercom:       ${report.intercomUsers}`,
		`missing in Intercom:     ${report.missing.length}`,
		`unexpected in Intercom:  ${report.unexpected.length}`,
		`name or email differs:   ${report.mismatched.length}`,
		`duplicates in Intercom:  ${report.duplicates.length}`,
	];
	const list = <T>(title: string, items: T[], line: (item: T) => string) => {
		if (items.length === 0) return;
		lines.push("", `${title}:`, ...items.slice(0, SHOWN).map((i) => `  ${line(i)}`));
		if (items.length > SHOWN) lines.push(`  … and ${items.length - SHOWN} more (--json lists all)`);
	};
	list("Missing (GUID)", report.missing, (g) => g);
	list("Unexpected (external_id, Intercom id, why)", report.unexpected, (u) =>
		[u.externalId, u.intercomId, u.reason === "unknown" ? "unknown here" : "not to be shared"].join("  "),
	);
	list(
		"Differs (GUID, field: here → Intercom)",
		report.mismatched,
		(m) => `${m.guid}  ${m.field}: ${JSON.stringify(m.local)} → ${JSON.stringify(m.intercom)}`,
	);
	list(
		"Duplicates (key, value, Intercom ids)",
		report.duplicates,
		(d) => `${d.key}  ${d.value}  ${d.intercomIds.join(", ")}`,
	);
	return lines.join("\n");
}

function reconcileText(result: ReconcileSiteResult): string {
	const out = [`Site ${result.site} compared with Intercom:`, reconcileSummary(result.report)];
	const { fix } = result;
	if (fix) {
		out.push(
			"",
			`Fix: sent ${fix.sent.length} contact(s) again, ${fix.skipped.length} no longer to be sent, ${fix.failed.length} refused by Intercom${fix.notAttempted > 0 ? `, ${fix.notAttempted} left for another run` : ""}.`,
			...fix.failed.slice(0, SHOWN).map((f) => `  refused ${f.guid}: ${f.error}`),
			"",
			"After the fix:",
			reconcileSummary(fix.after),
		);
	}
	const final = fix?.after ?? result.report;
	if (final.unexpected.length + final.duplicates.length > 0)
		out.push(
			"",
			"Unexpected and duplicated people in Intercom are only reported, never deleted or merged automatically: review them in Intercom.",
		);
	return out.join("\n");
}

/** Why the exit code is 1, and what to do about each kind of difference left. */
function differencesMessage(result: ReconcileSiteResult): string {
	const final = result.fix?.after ?? result.report;
	const fixable = final.missing.length + final.mismatched.length;
	const review = final.unexpected.length + final.duplicates.length;
	const parts = [
		result.fix
			? `${final.differences} difference(s) with Intercom remain after the fix.`
			: `${final.differences} difference(s) with Intercom.`,
	];
	if (fixable > 0)
		parts.push(
			result.fix
				? `${fixable} missing or changed: contacts synced in the last minutes may not show in Intercom's search yet; run again later.`
				: `${fixable} missing or changed: \`intercom-bridge sync reconcile --site ${result.site} --fix\` sends them again (contacts synced in the last minutes may not show in Intercom's search yet).`,
		);
	if (review > 0)
		parts.push(
			`${review} unexpected or duplicated in Intercom: for you to review there (never deleted here).`,
		);
	return parts.join(" ");
}

const leaseSeconds = (raw: string) => {
	const n = /^\d+$/.test(raw.trim()) ? Number(raw) : Number.NaN;
	if (!(Number.isSafeInteger(n) && n >= 1 && n <= 3600))
		throw new InvalidArgumentError("expected a whole number of seconds from 1 to 3600.");
	return n;
};

/** Adds `sync backfill`, `sync status` and `sync reconcile`. `endpoints` is Intercom's own unless a test passes the emulator's. */
export function registerSyncCommand(
	program: Command,
	context: CliContext,
	endpoints: EndpointsResolver = realIntercom,
): void {
	const { withStore, print, io } = context;
	/**
	 * What a backfill and a reconciliation of `site` share (SiteSyncWorkOptions): the logger, the
	 * endpoints, the stop signal, and the mapping live sync sends, so work from here sends the same
	 * attributes.
	 */
	const siteWork = (store: Store, site: string, signal: AbortSignal) => {
		const mapping = parseDataAttributeMapping(io.env.INTERCOM_BRIDGE_DATA_ATTRIBUTES);
		return {
			store,
			logger: createLogger({ level: io.env.LOG_LEVEL ?? "warn" }),
			site,
			endpoints,
			signal,
			...(mapping && { dataAttributes: mapping }),
		};
	};
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
			stopOnSignals((signal) =>
				withStore(
					async (store) => {
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
						const result = await runBackfill({
							...siteWork(store, opts.site, signal),
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
							throw new StoppedError(
								`Backfill paused at ${progressBar(result.run)}; run \`intercom-bridge sync backfill --site ${opts.site}\` again to resume where it stopped.`,
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
					},
					{ site: opts.site, section: "sync" },
				),
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
	sync
		.command("reconcile")
		.description(
			"compare a site's contacts with its Intercom workspace by external_id; exit 1 when they differ",
		)
		.requiredOption("--site <code>", "the site's code name")
		.addOption(jsonOption())
		.option(
			"--fix",
			"send the missing and changed contacts again, then compare again (unexpected and duplicated people are only reported)",
		)
		.action((opts: { site: string; json?: boolean; fix?: boolean }) =>
			stopOnSignals((signal) =>
				withStore(
					async (store) => {
						const result = await reconcileSite({
							...siteWork(store, opts.site, signal),
							fix: opts.fix === true,
							actor: context.actor(),
						});
						print(opts.json, result, () => reconcileText(result));
						const final = result.fix?.after ?? result.report;
						if (final.differences > 0) throw new ConflictError(differencesMessage(result));
					},
					{ site: opts.site, section: "sync" },
				),
			),
		);
}

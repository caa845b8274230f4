/**
 * "Sync to Intercom": a site's contact backfill (decision 0031) with its state and progress, and
 * Start/Resume and Pause. The backfill runs in this server process (an in-process task, not a
 * queued job): the run's lease in the database keeps any two instances or a CLI run from running it
 * at once, and a run whose process died shows as stalled until its lease runs out; Resume then
 * continues from its cursor. While it runs, the page reloads itself every 2 seconds.
 */
import type { Hono } from "hono";
import { html } from "hono/html";
import type { BackfillRun } from "../store/backfill-store.ts";
import { runBackfill } from "../sync/run-backfill.ts";
import type { AdminDeps, AdminEnv } from "./admin-context.ts";
import { postRoute, requireModify, siteAccess } from "./admin-routing.ts";
import { csrfField, type Markup, notice, page, sitePath } from "./layout.ts";

const MESSAGES: Record<string, [kind: "ok" | "error" | "info", text: string]> = {
	started: ["ok", "The backfill is running."],
	paused: ["ok", "The backfill was paused; Resume continues where it stopped."],
	busy: ["info", "Another process is running this backfill; its progress shows here."],
	"not-syncing": [
		"error",
		"This site does not sync contacts: turn on “Sync contacts” under Intercom setup first.",
	],
	"no-token": [
		"error",
		"This site has no Intercom access token: connect it under Intercom data access first.",
	],
	"not-here": [
		"info",
		"This backfill is not running in this server process, so it cannot be paused from here.",
	],
	failed: ["error", "The backfill could not start; the server log says why."],
};

function stateText(run: BackfillRun | null, now: number): string {
	if (!run) return "Never run";
	if (run.state === "running" && run.leaseUntil < now)
		return "Stalled (its process stopped; Resume continues it)";
	return { running: "Running", paused: "Paused", done: "Done", failed: "Stopped on an error" }[run.state];
}

function runCard(run: BackfillRun | null, now: number): Markup {
	if (!run)
		return html`<p class="muted">No backfill yet: Start sends every eligible contact to the site's Intercom workspace.</p>`;
	const done = run.sent + run.skipped + run.failed;
	return html`<dl>
<dt>State</dt><dd>${stateText(run, now)}</dd>
<dt>Progress</dt><dd><progress max="${Math.max(run.total, 1)}" value="${Math.min(done, run.total)}"></progress> ${done} of ${run.total}</dd>
<dt>Sent</dt><dd>${run.sent}</dd>
<dt>Skipped (data policy, anonymous, other site)</dt><dd>${run.skipped}</dd>
<dt>Refused by Intercom</dt><dd>${run.failed}</dd>
<dt>Started</dt><dd>${run.startedAt.toISOString()}${run.startedBy ? ` by ${run.startedBy}` : ""}</dd>
${run.finishedAt ? html`<dt>Finished</dt><dd>${run.finishedAt.toISOString()}</dd>` : ""}
${run.lastError ? html`<dt>Last error</dt><dd><code>${run.lastError}</code></dd>` : ""}
</dl>`;
}

/** Adds the sync page, `sync/backfill` (start or resume) and `sync/pause`. */
export function registerSyncRoutes(app: Hono<AdminEnv>, deps: AdminDeps): void {
	// The backfills this process runs, by site id, to pause them.
	const running = new Map<number, AbortController>();

	app.get("/sites/:site/sync", async (c) => {
		const access = await siteAccess(c, deps, c.req.param("site") ?? "");
		const run = await deps.store.getBackfill(access.site.id);
		const now = deps.now();
		const live = run?.state === "running" && run.leaseUntil >= now;
		const notices: Markup[] = [];
		const message = MESSAGES[c.req.query("m") ?? ""];
		if (message) notices.push(notice(message[0], message[1]));
		const action = run && run.state !== "done" && !live ? "Resume backfill" : "Start backfill";
		const body = html`<h1>Sync to Intercom</h1>
${live ? html`<meta http-equiv="refresh" content="2">` : ""}
<section class="card" aria-labelledby="backfill-h"><h2 id="backfill-h">Backfill</h2>
<p>Sends every contact this site may share (its data policy decides; anonymous visitors are never sent) to the Intercom workspace, once: a contact already there is updated, never duplicated. It uses what the Intercom rate limit leaves to live changes, which keep reaching Intercom meanwhile.</p>
${runCard(run, now)}
${
	access.canModify
		? live
			? html`<form method="post" action="${sitePath(deps, access.site, "sync/pause")}">${csrfField(c)}<button class="btn" type="submit">Pause</button></form>`
			: html`<form method="post" action="${sitePath(deps, access.site, "sync/backfill")}">${csrfField(c)}<button class="btn primary" type="submit">${action}</button></form>`
		: ""
}
</section>`;
		return c.html(
			page(c, deps, {
				title: "Sync to Intercom",
				site: access.site,
				sites: access.sites,
				nav: "sync",
				notices,
				body,
			}),
		);
	});

	postRoute(app, "/sites/:site/sync/backfill", async (c) => {
		const access = await siteAccess(c, deps, c.req.param("site") ?? "");
		requireModify(access.canModify);
		const back = (m: string) => c.redirect(`${sitePath(deps, access.site, "sync")}?m=${m}`, 303);
		const settings = await deps.store.getSettings(access.site.id);
		if (!settings.syncContacts) return back("not-syncing");
		if (!settings.accessToken) return back("no-token");
		if (running.has(access.site.id)) return back("busy");
		const actor = c.get("user").email;
		const controller = new AbortController();
		// Resolves once the run is claimed (its first progress) or ended, so the page shows it.
		let claimed: () => void = () => {};
		const firstProgress = new Promise<void>((resolve) => {
			claimed = resolve;
		});
		running.set(access.site.id, controller);
		const result = runBackfill({
			store: deps.store,
			logger: deps.logger,
			site: access.site.codeName,
			endpoints: deps.endpoints,
			...(deps.fetch ? { fetch: deps.fetch } : {}),
			signal: controller.signal,
			startedBy: `admin:${actor}`,
			onProgress: () => claimed(),
		}).finally(() => running.delete(access.site.id));
		result.catch((err) => deps.logger.warn({ err: (err as Error).message }, "backfill failed to run"));
		const outcome = await Promise.race([
			firstProgress.then(() => "running" as const),
			result.then((r) => r.outcome),
		]).catch(() => "error" as const);
		if (outcome === "busy") return back("busy");
		if (outcome === "error") return back("failed");
		await deps.store.recordBackfillAudit(access.site.id, "backfill-start", actor);
		return back("started");
	});

	postRoute(app, "/sites/:site/sync/pause", async (c) => {
		const access = await siteAccess(c, deps, c.req.param("site") ?? "");
		requireModify(access.canModify);
		const back = (m: string) => c.redirect(`${sitePath(deps, access.site, "sync")}?m=${m}`, 303);
		const controller = running.get(access.site.id);
		if (!controller) return back("not-here");
		controller.abort();
		await deps.store.recordBackfillAudit(access.site.id, "backfill-pause", c.get("user").email);
		return back("paused");
	});
}

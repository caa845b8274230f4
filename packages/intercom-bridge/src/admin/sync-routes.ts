/**
 * "Sync to Intercom": a site's contact backfill (decision 0031) with its state and progress, and
 * Start/Resume and Pause. The backfill runs in this server process (an in-process task, not a
 * queued job): the run's lease in the database keeps any two instances or a CLI run from running it
 * at once, and a run whose process died shows as stalled until its lease runs out; Resume then
 * continues from its cursor. While it runs, the page reloads itself every 2 seconds.
 *
 * The Reconcile card (decision 0032) compares the site's contacts with Intercom's within the
 * request and shows the result on the page it answers with (nothing is kept: a reload compares
 * nothing); "Fix missing and changed" sends those contacts again, at most {@link FIX_LIMIT} a press.
 */
import type { Context, Hono } from "hono";
import { html } from "hono/html";
import { IntercomApiError, IntercomAuthError, publicMessage } from "../errors.ts";
import type { BackfillRun } from "../store/backfill-store.ts";
import type { ReconcileReport } from "../sync/reconcile-contacts.ts";
import { type ReconcileSiteResult, reconcileSite } from "../sync/reconcile-site.ts";
import { runBackfill } from "../sync/run-backfill.ts";
import type { AdminDeps, AdminEnv } from "./admin-context.ts";
import { postRoute, requireModify, type SiteAccess, siteAccess } from "./admin-routing.ts";
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

/** Items of each list shown; the rest are counted. */
const SHOWN = 50;
/** Contacts one press of "Fix missing and changed" sends, so the request ends in reasonable time. */
const FIX_LIMIT = 200;

function countsList(report: ReconcileReport): Markup {
	return html`<dl class="props">
<dt>Eligible contacts here</dt><dd>${report.eligible}</dd>
<dt>Users in Intercom</dt><dd>${report.intercomUsers}</dd>
<dt>Missing in Intercom</dt><dd>${report.missing.length}</dd>
<dt>Unexpected in Intercom (unknown here, or not to be shared)</dt><dd>${report.unexpected.length}</dd>
<dt>Name or email differs</dt><dd>${report.mismatched.length}</dd>
<dt>Duplicates in Intercom</dt><dd>${report.duplicates.length}</dd>
</dl>`;
}

function boundedList<T>(title: string, items: T[], item: (i: T) => Markup): Markup {
	if (items.length === 0) return html``;
	const rest = items.length - SHOWN;
	return html`<h3>${title} (${items.length})</h3>
<ul>${items.slice(0, SHOWN).map((i) => html`<li>${item(i)}</li>`)}</ul>
${rest > 0 ? html`<p class="muted">… and ${rest} more (the CLI's <code>intercom-bridge sync reconcile --json</code> lists all).</p>` : ""}`;
}

function reportMarkup(deps: AdminDeps, report: ReconcileReport): Markup {
	const contact = (guid: string) =>
		html`<a href="${deps.basePath}/contacts/${guid}"><code>${guid}</code></a>`;
	return html`${countsList(report)}
${boundedList("Missing in Intercom", report.missing, contact)}
${boundedList(
	"Name or email differs",
	report.mismatched,
	(m) =>
		html`${contact(m.guid)} ${m.field}: here <q>${m.local ?? "(none)"}</q>, in Intercom <q>${m.intercom ?? "(none)"}</q>`,
)}
${boundedList(
	"Unexpected in Intercom",
	report.unexpected,
	(u) =>
		html`<code>${u.externalId}</code> (Intercom id <code>${u.intercomId}</code>): ${u.reason === "unknown" ? "unknown here" : "not to be shared by the data policy"}`,
)}
${boundedList(
	"Duplicates in Intercom",
	report.duplicates,
	(d) =>
		html`${d.key} <code>${d.value}</code>: Intercom ids ${d.intercomIds.map((id) => html`<code>${id}</code> `)}`,
)}`;
}

/** The result shown in the Reconcile card after a comparison or a fix. */
function resultMarkup(
	c: Context<AdminEnv>,
	deps: AdminDeps,
	access: SiteAccess,
	result: ReconcileSiteResult,
): Markup {
	const { fix } = result;
	const final = fix?.after ?? result.report;
	const fixable = final.missing.length + final.mismatched.length;
	const reviewOnly = final.unexpected.length + final.duplicates.length;
	return html`${
		fix
			? html`<p>Sent ${fix.sent.length} contact(s) again; ${fix.skipped.length} are no longer to be sent; ${fix.failed.length} refused by Intercom${fix.notAttempted > 0 ? `; ${fix.notAttempted} left for another press` : ""}.</p>
${fix.failed.length > 0 ? html`<ul>${fix.failed.slice(0, SHOWN).map((f) => html`<li><code>${f.guid}</code>: ${f.error}</li>`)}</ul>` : ""}
<h3>After the fix</h3>`
			: ""
	}
${final.differences === 0 ? html`<p><strong>No differences:</strong> Intercom has every contact this site shares, as it is here, once.</p>` : ""}
${reportMarkup(deps, final)}
${reviewOnly > 0 ? html`<p class="muted">Unexpected and duplicated people in Intercom are only reported, never deleted or merged automatically: review them in Intercom.</p>` : ""}
${final.missing.length > 0 ? html`<p class="muted">Contacts synced in the last minutes may not show in Intercom's search yet: compare again later before fixing.</p>` : ""}
${
	fixable > 0 && access.canModify
		? html`<form method="post" action="${sitePath(deps, access.site, "sync/reconcile/fix")}">${csrfField(c)}<button class="btn" type="submit">Fix missing and changed</button></form>`
		: ""
}`;
}

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
	return html`<dl class="props">
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

/** Adds the sync page, `sync/backfill` (start or resume), `sync/pause`, `sync/reconcile` and `sync/reconcile/fix`. */
export function registerSyncRoutes(app: Hono<AdminEnv>, deps: AdminDeps): void {
	// The backfills this process runs, by site id, to pause them.
	const running = new Map<number, AbortController>();

	/** The page; `reconcile` is what a comparison just found, shown in its card. */
	async function syncPage(
		c: Context<AdminEnv>,
		access: SiteAccess,
		extra: { notices?: Markup[]; reconcile?: Markup; status?: 200 | 502 } = {},
	) {
		const run = await deps.store.getBackfill(access.site.id);
		const now = deps.now();
		const live = run?.state === "running" && run.leaseUntil >= now;
		const notices: Markup[] = [...(extra.notices ?? [])];
		const message = MESSAGES[c.req.query("m") ?? ""];
		if (message) notices.push(notice(message[0], message[1]));
		const action = run && run.state !== "done" && !live ? "Resume backfill" : "Start backfill";
		const body = html`<h1>Sync to Intercom</h1>
${live && !extra.reconcile ? html`<meta http-equiv="refresh" content="2">` : ""}
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
</section>
<section class="card" aria-labelledby="reconcile-h"><h2 id="reconcile-h">Reconcile</h2>
<p>Compares this site's contacts with the people in its Intercom workspace, by external ID: who is missing there, who is there but unknown here or not to be shared, whose name or email differs, and who is there twice. Nothing changes until you press “Fix missing and changed”.</p>
${extra.reconcile ?? ""}
${
	access.canModify
		? html`<form method="post" action="${sitePath(deps, access.site, "sync/reconcile")}">${csrfField(c)}<button class="btn${extra.reconcile ? "" : " primary"}" type="submit">Compare with Intercom</button></form>`
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
			extra.status ?? 200,
		);
	}

	app.get("/sites/:site/sync", async (c) =>
		syncPage(c, await siteAccess(c, deps, c.req.param("site") ?? "")),
	);

	/**
	 * The site of a sync action, for a user who may modify it; `refused` is the redirect back to the
	 * Sync page with its message when the site does not sync contacts or has no access token.
	 */
	async function syncingSiteAccess(c: Context<AdminEnv>) {
		const access = await siteAccess(c, deps, c.req.param("site") ?? "");
		requireModify(access.canModify);
		const back = (m: string) => c.redirect(`${sitePath(deps, access.site, "sync")}?m=${m}`, 303);
		const settings = await deps.store.getSettings(access.site.id);
		const refused = !settings.syncContacts
			? back("not-syncing")
			: !settings.accessToken
				? back("no-token")
				: undefined;
		return { access, back, refused };
	}

	/** Compares (and with `fix`, fixes) within the request; Intercom's failures become a message. */
	async function reconcile(c: Context<AdminEnv>, fix: boolean) {
		const { access, refused } = await syncingSiteAccess(c);
		if (refused) return refused;
		try {
			const result = await reconcileSite({
				store: deps.store,
				logger: deps.logger,
				site: access.site.codeName,
				endpoints: deps.endpoints,
				...(deps.fetch ? { fetch: deps.fetch } : {}),
				fix,
				fixLimit: FIX_LIMIT,
				actor: c.get("user").email,
				...(deps.dataAttributes ? { dataAttributes: deps.dataAttributes } : {}),
				...(deps.contactAttributes ? { customAttributes: deps.contactAttributes } : {}),
			});
			return syncPage(c, access, { reconcile: resultMarkup(c, deps, access, result) });
		} catch (err) {
			if (!(err instanceof IntercomApiError)) throw err;
			deps.logger.warn({ err: (err as Error).message }, "reconcile: Intercom failed");
			const text =
				err instanceof IntercomAuthError
					? "Intercom refused this site's access token (revoked or invalid): connect it again under Intercom data access."
					: `Intercom could not be reached or failed (${publicMessage(err)}). ${fix ? "Contacts sent again before the failure stay sent; press" : "Press"} again in a few minutes.`;
			return syncPage(c, access, { notices: [notice("error", text)], status: 502 });
		}
	}
	postRoute(app, "/sites/:site/sync/reconcile", (c) => reconcile(c, false));
	postRoute(app, "/sites/:site/sync/reconcile/fix", (c) => reconcile(c, true));

	postRoute(app, "/sites/:site/sync/backfill", async (c) => {
		const { access, back, refused } = await syncingSiteAccess(c);
		if (refused) return refused;
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
			...(deps.dataAttributes ? { dataAttributes: deps.dataAttributes } : {}),
			...(deps.contactAttributes ? { customAttributes: deps.contactAttributes } : {}),
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

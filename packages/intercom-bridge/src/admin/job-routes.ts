/**
 * "Background jobs" of a site (docs/reliability.md O14): the conversation-links backlog (pending, oldest
 * waiting, retrying, running, dead) and the dead jobs with their last error, each with "Run again"
 * and one button for all of them, for when the cause (a lost token, an outage) is fixed.
 */
import type { Context, Hono } from "hono";
import { html } from "hono/html";
import {
	type ErasureBacklog,
	getContactSyncBacklog,
	getIntercomEventsBacklog,
	getJobBacklog,
	listDeadJobs,
	redriveDeadContactSyncs,
	redriveDeadIntercomEvents,
	redriveDeadJobs,
} from "../jobs/job-backlog.ts";
import type { AdminDeps, AdminEnv } from "./admin-context.ts";
import { formFields, postRoute, requireModify, type SiteAccess, siteAccess } from "./admin-routing.ts";
import { csrfField, type Markup, notice, page, sitePath } from "./layout.ts";
import { siteWarnings } from "./site-warnings.ts";

/** How many dead jobs the page lists (the count above covers all). */
const LISTED = 100;

const when = (d: Date) =>
	html`<time datetime="${d.toISOString()}">${d.toISOString().slice(0, 19).replace("T", " ")} UTC</time>`;

/** "3 min", "2 h 5 min", "4 d 1 h": the age of the oldest waiting job. */
export function formatAge(seconds: number): string {
	const d = Math.floor(seconds / 86_400);
	const h = Math.floor((seconds % 86_400) / 3600);
	const m = Math.floor((seconds % 3600) / 60);
	if (d > 0) return `${d} d ${h} h`;
	if (h > 0) return `${h} h ${m} min`;
	if (m > 0) return `${m} min`;
	return `${seconds} s`;
}

async function render(c: Context<AdminEnv>, deps: AdminDeps, access: SiteAccess, notices: Markup[] = []) {
	const siteId = access.site.id;
	const [backlog, dead, settings, sync, events] = await Promise.all([
		getJobBacklog(deps.store, { siteId }),
		listDeadJobs(deps.store, { siteId, limit: LISTED }),
		deps.store.getSettings(siteId),
		getContactSyncBacklog(deps.store),
		getIntercomEventsBacklog(deps.store, { siteId }),
	]);
	const stat = (id: string, label: string, value: string | number, hint: string) =>
		html`<div class="stat"><dt>${label}</dt><dd id="${id}">${value}</dd><dd class="muted">${hint}</dd></div>`;
	const redrive = (fields: Markup, label: string, confirm: string) =>
		html`<form method="post" action="${sitePath(deps, access.site, "jobs/redrive")}" data-confirm="${confirm}">${csrfField(c)}${fields}<button class="btn small" type="submit">${label}</button></form>`;
	/** The card of a queue of Intercom calls: what it does, its counts, the last error and "run again" (`jobs/<id>-redrive`). */
	const queueCard = (
		id: "sync" | "events",
		title: string,
		about: string,
		queue: ErasureBacklog,
		redriveLabel: string,
	) => html`<section class="card" aria-labelledby="${id}-h"><h2 id="${id}-h">${title}</h2>
<p class="muted">${about}</p>
<dl class="stats">
	${stat(`${id}-pending`, "Waiting or running", queue.pending, "new, retrying or being worked")}
	${stat(`${id}-dead`, "Failed", queue.dead, "refused by Intercom, or attempts used up")}
</dl>
${
	queue.dead > 0
		? html`<p>Last error: <code class="wrap">${queue.lastError}</code></p>${
				access.canModify
					? html`<form method="post" action="${sitePath(deps, access.site, `jobs/${id}-redrive`)}">${csrfField(c)}<button class="btn small" type="submit">${redriveLabel}</button></form>`
					: ""
			}`
		: ""
}
</section>`;
	const body = html`<h1>Background jobs</h1>
<p class="lead">After each logged activity, a job looks up the contact's Intercom conversations and links them in the activity's comment. Jobs that fail are retried with growing delays; a job whose attempts are used up is <strong>dead</strong> and stays here for 7 days, so you can run it again once the cause is fixed.</p>
<section class="card" aria-labelledby="backlog-h"><h2 id="backlog-h">Conversation links on ${access.site.displayName}</h2>
<dl class="stats">
	${stat("jobs-pending", "Waiting", backlog.pending, "new, or waiting to retry")}
	${stat("jobs-oldest", "Oldest waiting", backlog.oldestPendingSeconds === null ? "–" : formatAge(backlog.oldestPendingSeconds), "since it was queued")}
	${stat("jobs-retrying", "Retrying", backlog.retrying, "failed before, will try again")}
	${stat("jobs-token", "Waiting for a token", backlog.waitingForToken, "Intercom refused the site's token")}
	${stat("jobs-active", "Running", backlog.active, "being worked now")}
	${stat("jobs-dead", "Dead", backlog.dead, "attempts used up")}
</dl>
</section>
<section class="card" aria-labelledby="dead-h"><h2 id="dead-h">Dead jobs</h2>
${
	dead.length === 0
		? html`<p class="muted">None: every job finished or is still being tried.</p>`
		: html`${
				access.canModify
					? html`<div class="actions">${redrive(
							html`<input type="hidden" name="all" value="1">`,
							`Run all ${backlog.dead} again`,
							`Run all ${backlog.dead} dead jobs of this site again, each with its full number of attempts?`,
						)}</div>`
					: html`<p class="notice info" role="status">Your role on this site is read only: you cannot run jobs again.</p>`
			}
<table><thead><tr><th scope="col">Failed</th><th scope="col">Activity</th><th scope="col">Attempts</th><th scope="col">Last error</th>${access.canModify ? html`<th scope="col"><span class="visually-hidden">Action</span></th>` : ""}</tr></thead><tbody>${dead.map(
				(j) =>
					html`<tr><td>${when(j.failedAt)}</td><td>${
						j.contactGuid
							? html`<a href="${deps.basePath}/contacts/${j.contactGuid}">#${j.activityId} ${j.activityTitle ?? ""}</a>`
							: html`#${j.activityId} <span class="muted">(deleted)</span>`
					}</td><td>${j.attempts}</td><td><code class="wrap">${j.error}</code></td>${
						access.canModify
							? html`<td>${redrive(html`<input type="hidden" name="job" value="${j.id}">`, "Run again", "Run this job again?")}</td>`
							: ""
					}</tr>`,
			)}</tbody></table>${backlog.dead > dead.length ? html`<p class="muted">The latest ${dead.length} of ${backlog.dead} are listed.</p>` : ""}`
}
</section>
${settings.syncContacts || sync.pending + sync.dead > 0 ? queueCard("sync", "Contact sync (all sites)", "Each change of a contact is sent to Intercom a few seconds later, one job per contact. Intercom's refusals that another attempt cannot change (a 400, say) fail the job at once; others are retried with growing delays for about four hours.", sync, "Run the failed syncs again") : ""}
${events.pending + events.dead > 0 || settings.accessToken ? queueCard("events", `Intercom events on ${access.site.displayName}`, "Each activity of a type sent to Intercom becomes an Intercom data event, one job per activity. Intercom's refusals that another attempt cannot change fail the job at once; others are retried with growing delays for about 17 hours.", events, "Run the failed events again") : ""}`;
	if (backlog.waitingForToken > 0) {
		notices.push(
			notice(
				"warn",
				html`Intercom refused this site's access token, so ${backlog.waitingForToken} job${backlog.waitingForToken === 1 ? " waits" : "s wait"} (they try again every 15 minutes, by default for a day). <a href="${sitePath(deps, access.site, "data-access")}">Connect the site again</a>.`,
			),
		);
	}
	return c.html(
		page(c, deps, {
			title: "Background jobs",
			site: access.site,
			sites: access.sites,
			nav: "jobs",
			notices: [...notices, ...siteWarnings(c, deps, settings)],
			body,
		}),
	);
}

/** The queues whose failed jobs the page runs again, each at `jobs/<id>-redrive` (see `queueCard`). */
const REDRIVES: ReadonlyArray<{
	id: "sync" | "events";
	noun: string;
	run: (deps: AdminDeps, access: SiteAccess) => Promise<number>;
}> = [
	{
		id: "sync",
		noun: "contact sync",
		run: (deps) => redriveDeadContactSyncs(deps.store, deps.logger),
	},
	{
		id: "events",
		noun: "Intercom event",
		run: (deps, access) =>
			redriveDeadIntercomEvents(deps.store, { siteId: access.site.id, logger: deps.logger }),
	},
];

/**
 * Adds GET `/sites/:site/jobs`, POST `/sites/:site/jobs/redrive` (`job=<id>` or `all=1`), and the
 * "run again" of the failed contact syncs (`jobs/sync-redrive`) and Intercom events (`jobs/events-redrive`).
 */
export function registerJobRoutes(app: Hono<AdminEnv>, deps: AdminDeps): void {
	app.get("/sites/:site/jobs", async (c) =>
		render(c, deps, await siteAccess(c, deps, c.req.param("site") ?? "")),
	);

	for (const queue of REDRIVES) {
		postRoute(app, `/sites/:site/jobs/${queue.id}-redrive`, async (c) => {
			const access = await siteAccess(c, deps, c.req.param("site") ?? "");
			requireModify(access.canModify);
			const count = await queue.run(deps, access);
			deps.logger.info(
				{ site: access.site.codeName, count, actor: c.get("user").id },
				`admin queued failed ${queue.noun}s again`,
			);
			return render(c, deps, access, [
				notice("ok", `${count} ${queue.noun}${count === 1 ? "" : "s"} queued again.`),
			]);
		});
	}

	postRoute(app, "/sites/:site/jobs/redrive", async (c) => {
		const access = await siteAccess(c, deps, c.req.param("site") ?? "");
		requireModify(access.canModify);
		const form = await formFields(c);
		if (form.all !== "1" && !form.job) {
			return render(c, deps, access, [notice("error", "Choose a job to run again, or run them all.")]);
		}
		const count = await redriveDeadJobs(deps.store, {
			siteId: access.site.id,
			ids: form.all === "1" ? undefined : [form.job ?? ""],
		});
		deps.logger.info(
			{ site: access.site.codeName, count, actor: c.get("user").id },
			"admin queued dead conversation-link jobs again",
		);
		const message =
			count === 0
				? notice("warn", "No dead job was queued: it may have been run again already.")
				: notice(
						"ok",
						`${count} job${count === 1 ? "" : "s"} queued again; the links appear once the job succeeds.`,
					);
		return render(c, deps, access, [message]);
	});
}

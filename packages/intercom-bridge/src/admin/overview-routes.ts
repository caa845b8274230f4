/**
 * A site's overview, its landing page in the console: webhooks received per day (accepted,
 * duplicates, refused), activities per type, contacts created per day, what was shared with
 * Intercom (the disclosure log) and the conversation-links backlog, as small charts with their
 * numbers (overview-charts.ts). Every role on the site may see it; the counts come from store
 * methods (overview-store.ts) and the jobs page's own backlog query (job-backlog.ts).
 */
import type { Hono } from "hono";
import { html } from "hono/html";
import { HTTPException } from "hono/http-exception";
import { getJobBacklog } from "../jobs/job-backlog.ts";
import type { AdminDeps, AdminEnv } from "./admin-context.ts";
import { siteAccess } from "./admin-routing.ts";
import { formatAge } from "./job-routes.ts";
import { page, sitePath } from "./layout.ts";
import { barList, dayChart } from "./overview-charts.ts";
import { siteWarnings } from "./site-warnings.ts";

/** The periods the page offers, in days. */
export const OVERVIEW_PERIODS = [7, 14, 30, 90] as const;

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

/** The `days` query parameter. @throws HTTPException 400 naming the allowed values. */
function periodOf(raw: string | undefined): number {
	if (raw === undefined || raw === "") return 14;
	const days = Number(raw);
	if (!OVERVIEW_PERIODS.some((p) => p === days)) {
		throw new HTTPException(400, {
			message: `The period "${raw.slice(0, 20)}" is not offered: choose ${OVERVIEW_PERIODS.join(", ")} days.`,
		});
	}
	return days;
}

/** Adds GET `/sites/:site/overview`. */
export function registerOverviewRoutes(app: Hono<AdminEnv>, deps: AdminDeps): void {
	app.get("/sites/:site/overview", async (c) => {
		const access = await siteAccess(c, deps, c.req.param("site") ?? "");
		const days = periodOf(c.req.query("days"));
		const siteId = access.site.id;
		const [overview, backlog, settings] = await Promise.all([
			deps.store.siteOverview(siteId, { days }),
			getJobBacklog(deps.store, { siteId }),
			deps.store.getSettings(siteId),
		]);
		const accepted = overview.webhooks.map((d) => d.accepted);
		const duplicates = overview.webhooks.map((d) => d.duplicates);
		const refused = overview.webhooks.map((d) => d.refused);
		const contacts = overview.contactsPerDay.map((d) => d.count);
		const shared = overview.disclosuresPerDay.map((d) => d.count);
		const period = `the last ${days} days`;
		const topType = overview.activitiesByType[0];
		const backlogRows = [
			{ label: "Waiting", value: backlog.pending },
			{ label: "Retrying", value: backlog.retrying },
			{ label: "Waiting for a token", value: backlog.waitingForToken },
			{ label: "Running", value: backlog.active },
			{ label: "Dead", value: backlog.dead },
		];
		const body = html`<h1>Overview</h1>
<p class="lead">${access.site.displayName} over ${period} (UTC days, today included).</p>
<form class="inline period" method="get" action="${sitePath(deps, access.site, "overview")}">
	<label for="days">Period</label>
	<select id="days" name="days">${OVERVIEW_PERIODS.map((p) => html`<option value="${p}"${p === days ? html` selected` : ""}>${p} days</option>`)}</select>
	<button class="btn small" type="submit">Show</button>
</form>
<div class="overview">
<section class="card" aria-labelledby="hooks-h"><h2 id="hooks-h">Webhooks received</h2>
${dayChart({
	id: "chart-webhooks",
	title: "Webhooks received per day",
	summary: `In ${period}: ${sum(accepted)} accepted, ${plural(sum(duplicates), "duplicate")} (a delivery seen before, acknowledged and ignored), ${sum(refused)} refused (answered 4xx or 5xx).`,
	days: overview.days,
	series: [
		{ label: "Accepted", values: accepted, fill: "solid" },
		{ label: "Duplicates", values: duplicates, fill: "hatch" },
		{ label: "Refused", values: refused, fill: "dots" },
	],
})}
<p class="hint muted">Counted per request once the site is known; refusals before that (unknown host, too many requests from one address) are in <code>/healthz</code>. Counts reach this page within a few seconds.</p>
</section>
<section class="card" aria-labelledby="types-h"><h2 id="types-h">Activities per type</h2>
${
	overview.activitiesByType.length === 0
		? html`<p class="muted">No activity types yet. <a href="${deps.basePath}/activity-types">Add one</a>.</p>`
		: barList({
				id: "chart-activities",
				title: "Activities per type",
				summary:
					overview.activitiesTotal === 0
						? `No activities in ${period}.`
						: `${plural(overview.activitiesTotal, "activity", "activities")} in ${period}; most of type ${topType?.displayName} (${topType?.count}).`,
				rows: overview.activitiesByType.map((t) => ({ label: t.displayName, value: t.count })),
				rowLabel: "Type",
				valueLabel: "Activities",
			})
}
</section>
<section class="card" aria-labelledby="contacts-h"><h2 id="contacts-h">Contacts created</h2>
${dayChart({
	id: "chart-contacts",
	title: "Contacts created per day",
	summary: `${plural(sum(contacts), "contact")} created in ${period} that were active on this site in that time (an activity here, or data sent to Intercom from it).`,
	days: overview.days,
	series: [{ label: "Contacts", values: contacts, fill: "solid" }],
})}
<p class="hint"><a href="${deps.basePath}/contacts?${new URLSearchParams({ site: access.site.codeName })}">This site's contacts</a></p>
</section>
<section class="card" aria-labelledby="shared-h"><h2 id="shared-h">Shared with Intercom</h2>
${dayChart({
	id: "chart-disclosures",
	title: "New disclosures to Intercom per day",
	summary: `${plural(sum(shared), "new disclosure")} of contact data to Intercom in ${period} (each distinct set of fields per contact is recorded once, the first time).`,
	days: overview.days,
	series: [{ label: "Disclosures", values: shared, fill: "solid" }],
})}
${
	overview.disclosuresByFields.length === 0
		? ""
		: html`<h3>What was sent</h3><table class="numbers"><thead><tr><th scope="col">Fields</th><th scope="col">How</th><th scope="col">Basis</th><th scope="col" class="num">Contacts</th></tr></thead><tbody>${overview.disclosuresByFields.map(
				(d) =>
					html`<tr><td><code>${d.fields.replaceAll(",", ", ")}</code></td><td>${d.channel === "page" ? "page script" : d.channel}</td><td>${d.policy}</td><td class="num">${d.count}</td></tr>`,
			)}</tbody></table>`
}
</section>
<section class="card" aria-labelledby="jobs-h"><h2 id="jobs-h">Job backlog</h2>
${barList({
	id: "chart-jobs",
	title: "Conversation-link jobs by state",
	summary: `${plural(backlog.pending, "job")} waiting${backlog.oldestPendingSeconds === null ? "" : ` (the oldest for ${formatAge(backlog.oldestPendingSeconds)})`}, ${backlog.active} running, ${backlog.dead} dead.`,
	rows: backlogRows,
	rowLabel: "State",
	valueLabel: "Jobs",
})}
<p class="hint"><a href="${sitePath(deps, access.site, "jobs")}">Background jobs</a></p>
</section>
</div>`;
		return c.html(
			page(c, deps, {
				title: "Overview",
				site: access.site,
				sites: access.sites,
				nav: "overview",
				notices: siteWarnings(c, deps, settings),
				body,
			}),
		);
	});
}

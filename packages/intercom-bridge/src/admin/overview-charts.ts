/**
 * Small charts for the overview page, as server-rendered SVG (no script, no front-end build; the
 * CSP allows no inline style, so colours come from classes in admin.css). Each is readable without
 * colour: series differ by pattern (solid, hatched, dotted) and say their value in text (a total
 * above each bar, a value at the end of each horizontal bar), and each comes with its numbers as a
 * table for screen readers and for copying, plus a one-line summary in its caption.
 */
import { html } from "hono/html";
import type { Markup } from "./layout.ts";

/** How a series is told apart without colour. */
export type SeriesFill = "solid" | "hatch" | "dots";

/** One series of a day chart: a value per day. */
export interface DaySeries {
	label: string;
	values: readonly number[];
	fill: SeriesFill;
}

const WIDTH = 360;
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** `2026-12-02` → `2 Dec`. */
export function dayLabel(day: string): string {
	const [, month, date] = day.split("-");
	return `${Number(date)} ${MONTHS[Number(month) - 1] ?? ""}`;
}

/** The patterns a chart's series use (ids are prefixed, so several charts share a page). */
function patterns(id: string) {
	return html`<defs>
<pattern id="${id}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect class="pat-bg" width="6" height="6"></rect><rect class="pat-ink" width="2.5" height="6"></rect></pattern>
<pattern id="${id}-dots" width="5" height="5" patternUnits="userSpaceOnUse"><rect class="pat-bg-2" width="5" height="5"></rect><circle class="pat-ink-2" cx="2.5" cy="2.5" r="1.3"></circle></pattern>
</defs>`;
}

const fillOf = (id: string, fill: SeriesFill) => (fill === "solid" ? "" : `url(#${id}-${fill})`);
const fillClass = (fill: SeriesFill) => `bar bar-${fill}`;

/** A legend swatch for a series (the same pattern as its bars). */
function swatch(id: string, fill: SeriesFill) {
	return html`<svg class="swatch" width="14" height="14" viewBox="0 0 14 14" aria-hidden="true" focusable="false">${fill === "solid" ? "" : patterns(`${id}-sw`)}<rect class="${fillClass(fill)}" x="0.5" y="0.5" width="13" height="13"${fill === "solid" ? "" : html` fill="${fillOf(`${id}-sw`, fill)}"`}></rect></svg>`;
}

/**
 * Stacked bars per day (oldest left), the total written above each bar that has one, a legend,
 * and the numbers as a table. `summary` is the caption (what the chart says, in words).
 */
export function dayChart(options: {
	id: string;
	title: string;
	summary: string;
	days: readonly string[];
	series: readonly DaySeries[];
}): Markup {
	const { id, days, series } = options;
	const height = 170;
	const top = 16;
	const bottom = 30;
	const left = 4;
	const plotH = height - top - bottom;
	const slot = (WIDTH - left * 2) / Math.max(days.length, 1);
	const barW = Math.max(Math.min(slot * 0.7, 28), 3);
	const totals = days.map((_, i) => series.reduce((n, s) => n + (s.values[i] ?? 0), 0));
	// Scaled to the largest total: the values are written on the bars, so no axis needs round numbers.
	const max = Math.max(1, ...totals);
	const y = (v: number) => (v / max) * plotH;
	// With many days the labels would overlap: every step-th day keeps its date (today always),
	// and only the highest bar its total (the table has every number).
	const step = Math.ceil(days.length / 14);
	const allValues = slot >= 20;
	const highest = Math.max(...totals);
	const bars = days.map((day, i) => {
		const x = left + i * slot + (slot - barW) / 2;
		let base = top + plotH;
		const parts = series.map((s) => {
			const v = s.values[i] ?? 0;
			if (v === 0) return "";
			const h = Math.max(y(v), 1);
			base -= h;
			return html`<rect class="${fillClass(s.fill)}"${s.fill === "solid" ? "" : html` fill="${fillOf(id, s.fill)}"`} x="${x.toFixed(1)}" y="${base.toFixed(1)}" width="${barW.toFixed(1)}" height="${h.toFixed(1)}"></rect>`;
		});
		const total = totals[i] ?? 0;
		const [, month, date] = day.split("-");
		// The month under the first dated bar and the first dated bar of each month.
		const showDate = (days.length - 1 - i) % step === 0;
		const showMonth = showDate && (i < step || Number(date) <= step);
		const showValue = total > 0 && (allValues || total === highest);
		return html`<g>${parts}${showValue ? html`<text class="value" x="${(x + barW / 2).toFixed(1)}" y="${(base - 3).toFixed(1)}" text-anchor="middle">${total}</text>` : ""}${showDate ? html`<text class="tick" x="${(x + barW / 2).toFixed(1)}" y="${height - bottom + 12}" text-anchor="middle">${Number(date)}</text>` : ""}${showMonth ? html`<text class="tick" x="${(x + barW / 2).toFixed(1)}" y="${height - bottom + 24}" text-anchor="middle">${MONTHS[Number(month) - 1] ?? ""}</text>` : ""}</g>`;
	});
	const hasPatterns = series.some((s) => s.fill !== "solid");
	return html`<figure class="chart" id="${id}">
<svg viewBox="0 0 ${WIDTH} ${height}" role="img" aria-labelledby="${id}-title ${id}-desc" focusable="false">
<title id="${id}-title">${options.title}</title><desc id="${id}-desc">${options.summary}</desc>
${hasPatterns ? patterns(id) : ""}
<line class="axis" x1="0" x2="${WIDTH}" y1="${top + plotH + 0.5}" y2="${top + plotH + 0.5}"></line>
${bars}
</svg>
${
	series.length > 1
		? html`<ul class="legend">${series.map((s) => html`<li>${swatch(id, s.fill)} ${s.label}</li>`)}</ul>`
		: ""
}
<figcaption>${options.summary}</figcaption>
<details><summary>The numbers</summary>
<table class="numbers"><caption class="visually-hidden">${options.title}, per day</caption>
<thead><tr><th scope="col">Day (UTC)</th>${series.map((s) => html`<th scope="col" class="num">${s.label}</th>`)}</tr></thead>
<tbody>${days.map(
		(day, i) =>
			html`<tr><th scope="row"><time datetime="${day}">${dayLabel(day)}</time></th>${series.map((s) => html`<td class="num">${s.values[i] ?? 0}</td>`)}</tr>`,
	)}</tbody></table>
</details>
</figure>`;
}

/** One bar of a horizontal bar chart. */
export interface BarRow {
	label: string;
	value: number;
}

/**
 * Horizontal bars, one per row, each labelled at its left and with its value written at its end;
 * the rows are also the text alternative (a table). For a handful of rows (types, job states).
 */
export function barList(options: {
	id: string;
	title: string;
	summary: string;
	rows: readonly BarRow[];
	/** The header of the value column. */
	valueLabel: string;
	/** Header of the label column. */
	rowLabel: string;
}): Markup {
	const { id, rows } = options;
	const rowH = 24;
	const labelW = 130;
	const valueW = 44;
	const height = Math.max(rows.length, 1) * rowH + 4;
	const max = Math.max(1, ...rows.map((r) => r.value));
	const plotW = WIDTH - labelW - valueW;
	const clip = (s: string) => (s.length > 20 ? `${s.slice(0, 19)}…` : s);
	return html`<figure class="chart" id="${id}">
<svg viewBox="0 0 ${WIDTH} ${height}" role="img" aria-labelledby="${id}-title ${id}-desc" focusable="false">
<title id="${id}-title">${options.title}</title><desc id="${id}-desc">${options.summary}</desc>
${rows.map((r, i) => {
	const yTop = 2 + i * rowH;
	const w = r.value > 0 ? Math.max((r.value / max) * plotW, 2) : 0;
	return html`<g><text class="label" x="${labelW - 6}" y="${yTop + 16}" text-anchor="end">${clip(r.label)}</text><rect class="track" x="${labelW}" y="${yTop + 4}" width="${plotW}" height="${rowH - 8}"></rect>${w > 0 ? html`<rect class="bar bar-solid" x="${labelW}" y="${yTop + 4}" width="${w.toFixed(1)}" height="${rowH - 8}"></rect>` : ""}<text class="value" x="${(labelW + w + 5).toFixed(1)}" y="${yTop + 16}">${r.value}</text></g>`;
})}
</svg>
<figcaption>${options.summary}</figcaption>
<details><summary>The numbers</summary>
<table class="numbers"><caption class="visually-hidden">${options.title}</caption>
<thead><tr><th scope="col">${options.rowLabel}</th><th scope="col" class="num">${options.valueLabel}</th></tr></thead>
<tbody>${rows.map((r) => html`<tr><th scope="row">${r.label}</th><td class="num">${r.value}</td></tr>`)}</tbody></table>
</details>
</figure>`;
}

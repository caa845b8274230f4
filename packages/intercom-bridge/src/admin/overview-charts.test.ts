import { describe, expect, it } from "vitest";
import { barList, dayChart, dayLabel } from "./overview-charts.ts";

const text = async (markup: unknown) => String(await markup);

describe("overview charts", () => {
	it("labels days by date and month", () => {
		expect(dayLabel("2026-12-02")).toBe("2 Dec");
		expect(dayLabel("2027-01-31")).toBe("31 Jan");
	});

	it("stacks a day's series, writes its total above the bar and lists every number in a table", async () => {
		const svg = await text(
			dayChart({
				id: "c",
				title: "Webhooks",
				summary: "3 accepted, 1 refused.",
				days: ["2026-12-01", "2026-12-02"],
				series: [
					{ label: "Accepted", values: [0, 3], fill: "solid" },
					{ label: "Refused", values: [0, 1], fill: "dots" },
				],
			}),
		);
		expect(svg.match(/<rect class="bar /g)).toHaveLength(2 + 2); // two bars plus two legend swatches
		expect(svg).toMatch(/<text class="value"[^>]*>4<\/text>/);
		expect(svg).toContain('fill="url(#c-dots)"');
		expect(svg).toContain('<desc id="c-desc">3 accepted, 1 refused.</desc>');
		expect(svg).toContain(
			'<tr><th scope="row"><time datetime="2026-12-02">2 Dec</time></th><td class="num">3</td><td class="num">1</td></tr>',
		);
	});

	it("escapes labels that came from the database", async () => {
		const svg = await text(
			barList({
				id: "t",
				title: "Types",
				summary: "1 activity",
				rows: [{ label: '<script>alert("x")</script>', value: 1 }],
				rowLabel: "Type",
				valueLabel: "Activities",
			}),
		);
		expect(svg).not.toContain("<script>");
		expect(svg).toContain("&lt;script&gt;");
	});
});

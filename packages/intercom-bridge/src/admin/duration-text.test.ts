import { describe, expect, it } from "vitest";
import { durationText } from "./duration-text.ts";

describe("durationText", () => {
	it("says whole hours, minutes or seconds, never rounding a grace up or down", () => {
		expect(durationText(24 * 3_600_000)).toBe("24 hours");
		expect(durationText(3_600_000)).toBe("1 hour");
		expect(durationText(90 * 60_000)).toBe("90 minutes");
		expect(durationText(60_000)).toBe("1 minute");
		expect(durationText(45_000)).toBe("45 seconds");
		expect(durationText(0)).toBe("0 seconds");
	});
});

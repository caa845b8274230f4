/** A configured duration said the way a person would: "24 hours", "90 minutes", "45 seconds". */
export function durationText(ms: number): string {
	const unit = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
	if (ms >= 3_600_000 && ms % 3_600_000 === 0) return unit(ms / 3_600_000, "hour");
	if (ms >= 60_000 && ms % 60_000 === 0) return unit(ms / 60_000, "minute");
	return unit(Math.round(ms / 1000), "second");
}

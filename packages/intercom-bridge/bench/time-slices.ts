/**
 * A/B on one server under one continuous load: the server serves variant A for a slice of time,
 * then B, then A again, and counts the requests and the CPU of each slice. Both variants then
 * see the same machine, the same connections and the same warm JIT, within a fraction of a second,
 * so a shared VM's drift (another tenant, a busy host) hits them alike. Separate runs of a second
 * each differed by up to ±25% for the same page on 2 shared vCPUs; see docs/decisions/0007.
 */

/** One slice as the server saw it. */
export interface Slice {
	/** 0: variant A, 1: variant B. */
	variant: 0 | 1;
	ms: number;
	requests: number;
	cpuMicros: number;
}

/** The server's side: which variant serves now, and the slices so far. */
export function createSlicer(options: { sliceMs: number; cpuMicros: () => number; now?: () => number }) {
	const now = options.now ?? (() => performance.now());
	let variant: 0 | 1 = 0;
	let startedAt = now();
	let cpuAt = options.cpuMicros();
	let requests = 0;
	const slices: Slice[] = [];
	const flip = () => {
		const t = now();
		const cpu = options.cpuMicros();
		slices.push({ variant, ms: t - startedAt, requests, cpuMicros: cpu - cpuAt });
		startedAt = t;
		cpuAt = cpu;
		requests = 0;
		variant = variant === 0 ? 1 : 0;
	};
	const timer = setInterval(flip, options.sliceMs);
	return {
		/** The variant the current request is served with. */
		get variant() {
			return variant;
		},
		/** Counts a request served in the current slice. */
		served() {
			requests++;
		},
		/** Ends the current slice and stops; returns every slice. */
		stop(): Slice[] {
			clearInterval(timer);
			flip();
			return slices;
		},
	};
}

/** The median of `values` (0 for none). */
export const median = (values: number[]) => {
	const sorted = [...values].sort((a, b) => a - b);
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};

/** What an A/B run measured. */
export interface SliceComparison {
	/** Requests per second and CPU (µs) per request of each variant, over the kept slices. */
	a: { rps: number; cpuMicros: number };
	b: { rps: number; cpuMicros: number };
	/** B's cost against A (0.05 = 5%): the median over B slices of 1 − B's rate / the mean rate of the A slices around it. */
	throughput: number;
	/** B's CPU per request against A's, over the kept slices (0.05 = 5% more). */
	cpu: number;
	/** B slices compared. */
	pairs: number;
}

/**
 * Compares B with A. Slices shorter than half the others (the first and the last, cut by the
 * start and end of the load) and the first `skip` slices (warm-up) are left out.
 */
export function compareSlices(all: Slice[], skip = 0): SliceComparison {
	const typical = median(all.map((s) => s.ms));
	const slices = all.slice(skip).filter((s) => s.ms >= typical / 2 && s.requests > 0);
	const rate = (s: Slice) => s.requests / s.ms;
	const costs: number[] = [];
	for (let i = 1; i < slices.length - 1; i++) {
		const [before, b, after] = [slices[i - 1], slices[i], slices[i + 1]];
		if (!before || !b || !after || b.variant !== 1 || before.variant !== 0 || after.variant !== 0) continue;
		costs.push(1 - rate(b) / ((rate(before) + rate(after)) / 2));
	}
	const total = (variant: 0 | 1) => {
		const own = slices.filter((s) => s.variant === variant);
		const requests = own.reduce((n, s) => n + s.requests, 0);
		const ms = own.reduce((n, s) => n + s.ms, 0);
		const cpu = own.reduce((n, s) => n + s.cpuMicros, 0);
		return { rps: ms > 0 ? (requests / ms) * 1000 : 0, cpuMicros: requests > 0 ? cpu / requests : 0 };
	};
	const a = total(0);
	const b = total(1);
	return {
		a,
		b,
		throughput: median(costs),
		cpu: a.cpuMicros > 0 ? b.cpuMicros / a.cpuMicros - 1 : 0,
		pairs: costs.length,
	};
}

/** The part of autocannon 9's API the benchmarks use (the package ships no types). */
declare module "autocannon" {
	import type { IncomingHttpHeaders } from "node:http";

	export interface AutocannonRequest {
		method?: string;
		path?: string;
		headers?: Record<string, string>;
		body?: string;
		/** Called before each request is sent; returns the request to send. */
		setupRequest?: (request: AutocannonRequest) => AutocannonRequest;
	}

	export interface Histogram {
		average: number;
		p50: number;
		p99: number;
		max: number;
		total: number;
	}

	export interface AutocannonResult {
		requests: Histogram & { sent: number };
		latency: Histogram;
		throughput: Histogram;
		errors: number;
		timeouts: number;
		non2xx: number;
		duration: number;
		statusCodeStats: Record<string, { count: number }>;
	}

	export interface AutocannonOptions {
		url: string;
		connections?: number;
		duration?: number;
		amount?: number;
		timeout?: number;
		method?: string;
		headers?: Record<string, string>;
		body?: string;
		requests?: AutocannonRequest[];
	}

	function autocannon(options: AutocannonOptions): Promise<AutocannonResult>;

	export type { IncomingHttpHeaders };
	export default autocannon;
}

/**
 * Fault injection for the REST API: make the next matching requests slow, fail, throttle, answer
 * broken JSON or hang, so clients' retry and timeout paths can be tested.
 */
import { errorResponse } from "./intercom-error.ts";

/** A fault to apply to the next matching API requests. */
export interface EmulatorFault {
	kind: "latency" | "status" | "rate_limit" | "malformed_json" | "timeout";
	/** latency: delay before answering normally (default 1000). timeout: how long to hang before a 408 (default 30000). */
	ms?: number;
	/** status: the HTTP status to answer (default 500). */
	status?: number;
	/** How many requests it applies to (default 1). */
	times?: number;
	/** Only requests whose path (without region prefix) starts with this, e.g. `/contacts`. */
	path?: string;
}

export interface FaultQueue {
	add(fault: EmulatorFault): void;
	/** The fault for this request, counting it down; undefined when none matches. */
	take(path: string): EmulatorFault | undefined;
	clear(): void;
}

export function createFaultQueue(): FaultQueue {
	let faults: { fault: EmulatorFault; left: number }[] = [];
	return {
		add(fault) {
			faults.push({ fault, left: fault.times ?? 1 });
		},
		take(path) {
			const entry = faults.find((f) => f.left > 0 && (!f.fault.path || path.startsWith(f.fault.path)));
			if (!entry) return undefined;
			entry.left--;
			faults = faults.filter((f) => f.left > 0);
			return entry.fault;
		},
		clear() {
			faults = [];
		},
	};
}

/** Waits `ms`, or less when the client goes away. */
export function delay(ms: number, signal?: AbortSignal): Promise<void> {
	return new Promise((resolve) => {
		const timer = setTimeout(resolve, ms);
		signal?.addEventListener("abort", () => {
			clearTimeout(timer);
			resolve();
		});
	});
}

/** The response a terminal fault gives, or undefined when the request should go on (latency). */
export async function applyFault(fault: EmulatorFault, signal: AbortSignal): Promise<Response | undefined> {
	switch (fault.kind) {
		case "latency":
			await delay(fault.ms ?? 1000, signal);
			return undefined;
		case "status": {
			const status = fault.status ?? 500;
			const code = status === 503 ? "service_unavailable" : status >= 500 ? "server_error" : "client_error";
			return errorResponse(status, code, `Injected fault: HTTP ${status}`);
		}
		case "malformed_json":
			return new Response('{"type":"contact","id":"5f2', {
				status: 200,
				headers: { "Content-Type": "application/json; charset=utf-8" },
			});
		case "timeout":
			await delay(fault.ms ?? 30_000, signal);
			return errorResponse(408, "request_timeout", "Injected fault: the request timed out");
		default:
			// rate_limit is answered by the API guard, which knows the token's window headers.
			return undefined;
	}
}

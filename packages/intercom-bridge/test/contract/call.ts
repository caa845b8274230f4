/**
 * A small request helper for the emulator tests: JSON in, status, headers and parsed body out.
 */
import type { IntercomEmulator } from "../../src/testing/index.ts";

export interface CallResult {
	status: number;
	headers: Headers;
	body: unknown;
}

/** Calls the emulator without a server; `base` is a region's API base from `endpoints()`. */
export function caller(emulator: IntercomEmulator, token: string, base = emulator.endpoints().api) {
	return async (
		method: string,
		path: string,
		body?: unknown,
		headers: Record<string, string> = {},
	): Promise<CallResult> => {
		const init: RequestInit = {
			method,
			headers: {
				Authorization: `Bearer ${token}`,
				Accept: "application/json",
				"Intercom-Version": "2.16",
				...headers,
			},
		};
		if (body !== undefined) {
			init.body = JSON.stringify(body);
			(init.headers as Record<string, string>)["Content-Type"] = "application/json";
		}
		const res = await emulator.fetch(`${base}${path}`, init);
		const text = await res.text();
		return {
			status: res.status,
			headers: res.headers,
			body: text ? (JSON.parse(text) as unknown) : undefined,
		};
	};
}

/** Reads a property path from an unknown body, for terse assertions. */
export function at(value: unknown, ...path: (string | number)[]): unknown {
	let v = value;
	for (const key of path) v = (v as Record<string | number, unknown> | undefined)?.[key];
	return v;
}

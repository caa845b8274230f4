/**
 * What every part of the emulator shares: the state, the resolved options and small helpers.
 */
import type { EmulatorApp, EmulatorOAuthClient, EmulatorState } from "./emulator-state.ts";
import { badRequest } from "./intercom-error.ts";

/** The app the emulator uses when none is configured. */
export const DEFAULT_APP_ID = "emulator";

export interface ResolvedEmulatorOptions {
	oauthClients: EmulatorOAuthClient[];
	/** Never empty: a default app stands in when none is given. */
	apps: EmulatorApp[];
	rateLimitPer10s: number;
	searchIndexDelayMs: number;
	now: () => number;
	fetch: typeof fetch;
}

export interface EmulatorContext {
	state: EmulatorState;
	options: ResolvedEmulatorOptions;
}

/** The workspace the REST API answers for (`/me`, `workspace_id`, search timezone). */
export function primaryApp(ctx: EmulatorContext): EmulatorApp {
	return ctx.options.apps[0] as EmulatorApp;
}

/** Parses a JSON request body; a broken body is a 400 as on Intercom. */
export async function readJson(request: Request): Promise<unknown> {
	const text = await request.text();
	if (text.trim() === "") return undefined;
	try {
		return JSON.parse(text);
	} catch {
		throw badRequest("Request body is not valid JSON");
	}
}

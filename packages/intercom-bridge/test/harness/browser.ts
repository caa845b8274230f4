/**
 * Headless Chromium for browser tests: Debian's `/usr/bin/chromium` driven by playwright-core
 * (never a downloaded browser). Screenshots go to `test-results/` (ignored by git).
 */
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { type Browser, chromium } from "playwright-core";
import { waitFor as waitForCondition } from "./wait-for.ts";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** Launches Chromium. @throws when it is not installed, saying how to install it. */
export async function launchChromium(): Promise<Browser> {
	if (!existsSync(CHROMIUM)) {
		throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH).`);
	}
	return chromium.launch({
		executablePath: CHROMIUM,
		headless: true,
		args: [
			"--no-sandbox",
			"--disable-gpu",
			"--disable-dev-shm-usage",
			"--disable-background-networking",
			"--disable-component-update",
			"--disable-sync",
			"--no-first-run",
			"--disable-quic",
		],
	});
}

/** Where screenshots of a suite go. */
export async function screenshotDir(suite: string): Promise<string> {
	const dir = join(new URL("../../../../test-results", import.meta.url).pathname, suite);
	await mkdir(dir, { recursive: true });
	return dir;
}

/**
 * Polls `check` until it returns a truthy value or `timeoutMs` passes: the harness's
 * {@link waitForCondition} (wait-for.ts) in the positional form the browser suites use.
 */
export function waitFor<T>(
	check: () => T | Promise<T>,
	timeoutMs = 10_000,
	what = "condition",
): Promise<NonNullable<T>> {
	return waitForCondition(check, { deadlineMs: timeoutMs, describe: what, intervalMs: 50 });
}

/**
 * The browser module as a classic script for `{basePath}/browser.js`: the ESM source with its
 * `export`s removed, wrapped so that it defines `window.IntercomBridge`.
 */
import { readFileSync } from "node:fs";

let cached: string | undefined;

/** The classic-script form of intercom-bridge-browser.js (read once). */
export function browserModuleSource(): string {
	if (cached === undefined) {
		const esm = readFileSync(new URL("./intercom-bridge-browser.js", import.meta.url), "utf8");
		const body = esm.replace(/^export /gm, "");
		cached = `(function(){"use strict";${body}\nwindow.IntercomBridge={start:start,refresh:refresh,shutdown:shutdown,agree:agree,revoke:revoke};})();\n`;
	}
	return cached;
}

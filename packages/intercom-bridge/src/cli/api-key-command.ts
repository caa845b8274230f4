/** `intercom-bridge api-key rotate`: replaces a site's webhook API key and prints the new one once. */
import { type Command, InvalidArgumentError } from "commander";
import { DEFAULT_API_KEY_GRACE_PERIOD_MS } from "../settings/setting-keys.ts";
import type { CliContext } from "./cli-context.ts";

const HOUR_MS = 60 * 60_000;
const MAX_GRACE_HOURS = 24 * 366;

/** Hours from 0 to a year, fractions allowed: anything else is a usage error (exit 2). */
function graceHours(raw: string): number {
	const hours = /^\d+(\.\d+)?$/.test(raw.trim()) ? Number(raw) : Number.NaN;
	if (!(hours >= 0 && hours <= MAX_GRACE_HOURS)) {
		throw new InvalidArgumentError(`expected a number of hours from 0 to ${MAX_GRACE_HOURS}.`);
	}
	return hours;
}

/** Adds `api-key rotate <site> [--grace-hours n]`. */
export function registerApiKeyCommand(program: Command, { io, withStore, actor }: CliContext): void {
	program
		.command("api-key")
		.description("the webhook API key")
		.command("rotate <site>")
		.description(
			"replace the webhook API key and print the new one once (every replaced key stays valid for a grace period)",
		)
		.option(
			"--grace-hours <hours>",
			"the grace period your webhooks enforce (their apiKeyGracePeriodMs, in hours): replaced keys older than this are dropped",
			graceHours,
			DEFAULT_API_KEY_GRACE_PERIOD_MS / HOUR_MS,
		)
		.action((siteCode: string, opts: { graceHours: number }) =>
			withStore(
				async (store) => {
					const site = await store.requireSite(siteCode);
					// Prune by the grace the webhooks enforce, not the store's default: a longer grace must
					// not lose a replaced key a Series may still send (docs/decisions/0011).
					const key = await store.rotateWebhookApiKey(site.id, {
						actor: actor(),
						gracePeriodMs: Math.round(opts.graceHours * HOUR_MS),
					});
					io.stdout(key);
					io.stderr(
						`New webhook API key for ${site.codeName} printed above; it is shown only this once. Put it in your Intercom Series webhook headers; the previous key keeps working for ${opts.graceHours} hour(s).`,
					);
				},
				{ site: siteCode, section: "webhooks" },
			),
		);
}

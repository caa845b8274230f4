/**
 * Structured logs with pino. Secrets and personal data are redacted by path, and our own code
 * never passes them at info level: a log line must be safe to ship to any log store.
 */
import pino from "pino";

/** The logger interface the library uses (pino's, or anything with these methods). */
export type Logger = Pick<pino.Logger, "debug" | "info" | "warn" | "error" | "child">;

/** Fields that may hold a secret or personal data, wherever they appear (one or two levels deep). */
const REDACT = [
	"clientSecret",
	"identityVerificationSecret",
	"accessToken",
	"webhookApiKey",
	"token",
	"password",
	"authorization",
	"cookie",
	"email",
	"name",
	"firstName",
	"lastName",
	"x-api-key",
	"xperienceapikey",
	"x-hub-signature",
];

/**
 * Creates the logger. `LOG_LEVEL` (default `info`) sets the level.
 * @example const log = createLogger({ level: "debug" }); log.info({ site: "default" }, "started");
 */
export function createLogger(
	options: { level?: string; destination?: pino.DestinationStream } = {},
): pino.Logger {
	return pino(
		{
			level: options.level ?? process.env.LOG_LEVEL ?? "info",
			base: { app: "intercom-bridge" },
			redact: {
				paths: [...REDACT, ...REDACT.map((p) => `*.${p}`), ...REDACT.map((p) => `*.*.${p}`)],
				censor: "[redacted]",
			},
		},
		options.destination,
	);
}

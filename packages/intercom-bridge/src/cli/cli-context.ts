/** What every command group of the CLI shares: where it writes, how it opens the store, who acts. */
import type { Store } from "../store/create-store.ts";
import { type CliIo, formatJson } from "./output.ts";

/**
 * The console page a command's work can be done on instead, named when a running app holds the
 * embedded database (see open-cli-store.ts): a site's section (`setup`, `webhooks`), or the
 * console's start page when `site` is absent.
 */
export interface ConsolePage {
	site?: string;
	section?: string;
}

/** Opens the store for one command and always closes it; `page` is where the console does the same. */
export type WithStore = <T>(fn: (store: Store) => Promise<T>, page?: ConsolePage) => Promise<T>;

/** The shared parts a command group registers its commands with. */
export interface CliContext {
	io: CliIo;
	withStore: WithStore;
	/** Prints `value` as JSON with `--json`, else what `human` renders. */
	print(json: boolean | undefined, value: unknown, human: () => string): void;
	/** Who made a change, for the audit log: `cli:<user>`. */
	actor(): string;
}

/** Builds the context of one CLI run. */
export function createCliContext(io: CliIo, withStore: WithStore): CliContext {
	return {
		io,
		withStore,
		print: (json, value, human) => io.stdout(json ? formatJson(value) : human()),
		actor: () => `cli:${io.env.USER ?? io.env.LOGNAME ?? "unknown"}`,
	};
}

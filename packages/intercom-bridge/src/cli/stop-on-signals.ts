/**
 * Ctrl-C (SIGINT) and SIGTERM for the CLI's long commands (`sync backfill`, `sync reconcile`):
 * the signal aborts the work's `AbortSignal` instead of killing the process, the work stops
 * cleanly and says what it did, the store closes, and the command exits 128 + the signal's number
 * (130, 143), as a shell reports a process the signal ended.
 */
import { IntercomBridgeError, publicMessage } from "../errors.ts";

/** The exit code of a command stopped by each signal. */
export const STOP_EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;

/** A signal the long commands stop on. */
export type StopSignal = keyof typeof STOP_EXIT_CODES;

/** The command was stopped by `signal`; `message` says what was done before (the work's own stop). */
export class StoppedBySignal extends Error {
	readonly signal: StopSignal;
	readonly exitCode: number;

	constructor(signal: StopSignal, cause: unknown) {
		const done =
			cause instanceof IntercomBridgeError
				? publicMessage(cause)
				: `stopped (${cause instanceof Error ? cause.message : String(cause)})`;
		super(`${signal === "SIGINT" ? "Interrupted (SIGINT)" : "Terminated (SIGTERM)"}: ${done}`, { cause });
		this.name = "StoppedBySignal";
		this.signal = signal;
		this.exitCode = STOP_EXIT_CODES[signal];
	}
}

/**
 * Runs `work` with a signal that aborts on SIGINT or SIGTERM. The handlers stay until `work` has
 * settled, so pass the whole of it (opening and closing the store included): a second Ctrl-C
 * while the store closes does not kill the process half-way. When a signal came and `work`
 * failed (its stop), the failure becomes a {@link StoppedBySignal}; work that finished anyway
 * returns its result.
 * @example await stopOnSignals((signal) => withStore((store) => reconcileSite({ store, signal, … })));
 */
export async function stopOnSignals<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
	const controller = new AbortController();
	let received: StopSignal | undefined;
	const offs = (Object.keys(STOP_EXIT_CODES) as StopSignal[]).map((name) => {
		const onSignal = () => {
			received ??= name;
			controller.abort(new Error(`${name} received`));
		};
		process.on(name, onSignal);
		return () => process.off(name, onSignal);
	});
	try {
		return await work(controller.signal);
	} catch (err) {
		if (received) throw new StoppedBySignal(received, err);
		throw err;
	} finally {
		for (const off of offs) off();
	}
}

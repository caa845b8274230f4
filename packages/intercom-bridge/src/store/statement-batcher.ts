/**
 * Group commit for the webhook statements (docs/decisions/0006-group-commit-webhooks.md): at most
 * `maxInFlight` statements of one kind run at a time; requests that arrive meanwhile wait, and
 * when a statement finishes, the waiting ones (up to `maxBatch`) go together in the next. Under
 * light load every request runs alone at once, exactly as without the batcher (with
 * `gatherInput`, on PGlite: after one turn of the event loop, docs/decisions/0039); under load one
 * statement (one round trip, one wake-up of a PostgreSQL backend, one commit) serves several.
 */

/** What {@link StatementBatcherOptions.runBatch} gives for an item to be run again in a later batch. */
export const RUN_AGAIN: unique symbol = Symbol("run again");

export interface StatementBatcherOptions<I, R> {
	/**
	 * Runs one item alone: a batch of one, and each item of a batch that failed. Default:
	 * `runBatch` with the one item (which, first of its batch, always gets a result).
	 */
	runOne?(item: I): Promise<R>;
	/**
	 * Runs several items in one statement, all or nothing, and gives one outcome per item, in their
	 * order: its result, or {@link RUN_AGAIN} when it could not go in this batch (it touches what
	 * an earlier item of the batch touches); the first item of a batch must always get a result.
	 */
	runBatch(items: readonly I[]): Promise<ReadonlyArray<R | typeof RUN_AGAIN>>;
	/**
	 * True for a batch's error that each item would meet alone as well (the database is gone):
	 * every item fails with it. Any other error (one item's conflict) runs each item alone, so
	 * each gets its own outcome and one bad item does not fail the others.
	 */
	failsAll(err: unknown): boolean;
	/** Most items in one statement. */
	maxBatch: number;
	/**
	 * Statement slots: the most statements running at once (leave pool connections for other
	 * work). A number for this batcher alone, or {@link StatementSlots} shared by several.
	 */
	maxInFlight: number | StatementSlots;
	/**
	 * Start a statement only once the event loop has taken in the input that has arrived (on
	 * `setImmediate`, after its I/O phase), not in the same turn as the request that frees or
	 * finds a slot. For a database that runs statements synchronously in this thread (PGlite):
	 * while one runs nothing else can arrive, so without this each request that comes in finds the
	 * slot free and runs alone (measured: 1.05–1.08 statements per request at 50 connections).
	 * Idle, it costs one turn of the event loop, not a timer's wait.
	 */
	gatherInput?: boolean;
}

/** Statement slots shared by several batchers (of one store), so together they keep to `max`. */
export interface StatementSlots {
	readonly max: number;
	inUse: number;
	/** The batchers' pumps, run when a slot frees (each takes what it may). */
	readonly pumps: Array<() => void>;
}

/** Slots for at most `max` statements at once, to share between batchers. */
export function createStatementSlots(max: number): StatementSlots {
	return { max: Math.max(1, Math.floor(max)), inUse: 0, pumps: [] };
}

/** Runs items through shared statements; see {@link createStatementBatcher}. */
export interface StatementBatcher<I, R> {
	run(item: I): Promise<R>;
	/** Items waiting for a statement (for tests and metrics). */
	readonly waiting: number;
}

interface Waiter<I, R> {
	item: I;
	resolve(result: R): void;
	reject(err: unknown): void;
}

/** Creates a batcher. Items are run in the order they arrive, as far as batches allow. */
export function createStatementBatcher<I, R>(options: StatementBatcherOptions<I, R>): StatementBatcher<I, R> {
	const maxBatch = Math.max(1, Math.floor(options.maxBatch));
	const slots =
		typeof options.maxInFlight === "number" ? createStatementSlots(options.maxInFlight) : options.maxInFlight;
	const queue: Waiter<I, R>[] = [];

	const runOne =
		options.runOne ??
		(async (item: I): Promise<R> => {
			const outcomes = await options.runBatch([item]);
			const outcome = outcomes[0];
			if (outcomes.length !== 1 || outcome === undefined || outcome === RUN_AGAIN) {
				throw new Error(`a batch of one gave ${outcomes.length} outcomes, the first ${String(outcome)}`);
			}
			return outcome;
		});

	const runAlone = async (w: Waiter<I, R>) => {
		try {
			w.resolve(await runOne(w.item));
		} catch (err) {
			w.reject(err);
		}
	};

	const execute = async (batch: Waiter<I, R>[]) => {
		if (batch.length === 1) return runAlone(batch[0] as Waiter<I, R>);
		let outcomes: ReadonlyArray<R | typeof RUN_AGAIN>;
		try {
			outcomes = await options.runBatch(batch.map((w) => w.item));
			if (outcomes.length !== batch.length || outcomes[0] === RUN_AGAIN) {
				throw new Error(`a batch of ${batch.length} gave ${outcomes.length} outcomes`);
			}
		} catch (err) {
			if (options.failsAll(err)) {
				for (const w of batch) w.reject(err);
				return;
			}
			// Nothing of the batch was written (one statement): each item alone meets its own outcome.
			await Promise.all(batch.map(runAlone));
			return;
		}
		const again: Waiter<I, R>[] = [];
		batch.forEach((w, i) => {
			const outcome = outcomes[i] as R | typeof RUN_AGAIN;
			if (outcome === RUN_AGAIN) again.push(w);
			else w.resolve(outcome);
		});
		// First in line for the next statement, where the first of a batch always goes through.
		queue.unshift(...again);
	};

	let gathering = false;
	const start = () => {
		while (slots.inUse < slots.max && queue.length > 0) {
			const batch = queue.splice(0, maxBatch);
			slots.inUse++;
			void execute(batch).finally(() => {
				slots.inUse--;
				// The other batchers first: a busy one must not keep the shared slots to itself.
				for (const other of slots.pumps) if (other !== pump) other();
				pump();
			});
		}
	};
	const pump = () => {
		if (!options.gatherInput) return start();
		if (gathering || queue.length === 0 || slots.inUse >= slots.max) return;
		gathering = true;
		setImmediate(() => {
			gathering = false;
			start();
		});
	};
	slots.pumps.push(pump);

	return {
		run(item) {
			return new Promise<R>((resolve, reject) => {
				queue.push({ item, resolve, reject });
				pump();
			});
		},
		get waiting() {
			return queue.length;
		},
	};
}

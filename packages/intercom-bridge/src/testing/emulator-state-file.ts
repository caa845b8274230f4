/**
 * Keeps the emulator's workspace in a JSON file, so a demo that restarts still knows its visitors,
 * contacts and conversations (and the inbox links written into activities still lead somewhere).
 * Saves are debounced and atomic: the JSON goes to a temporary file beside the target, which is
 * then renamed over it, so a crash mid-save leaves the previous state, never half a file.
 *
 * Kept: contacts, conversations, tokens issued through OAuth, the latest Messenger boot of each
 * visitor (the simulator lists visitors from them), custom data attributes, data events, merged
 * lead ids and the id counters. Not kept: recorded
 * requests, OAuth codes (they expire in minutes), faults and rate windows.
 */
import { readFileSync } from "node:fs";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { ConfigError } from "../errors.ts";
import type { Conversation } from "./conversation-shape.ts";
import type { DataAttribute } from "./data-attributes.ts";
import type { ContactRecord, EmulatorState, MessengerBoot } from "./emulator-state.ts";
import type { DataEventRecord } from "./events-routes.ts";

/** The file's layout; `version` changes when it does. */
interface StateFileV1 {
	version: 1;
	contacts: ContactRecord[];
	conversations: Conversation[];
	tokens: string[];
	messengerBoots: MessengerBoot[];
	nextSeq: number;
	nextConversationId: number;
	/** Optional: files written before data attributes and events were emulated lack them. */
	dataAttributes?: DataAttribute[];
	nextDataAttributeId?: number;
	events?: DataEventRecord[];
	mergedInto?: [string, string][];
}

/** Boots kept in the file: the latest of each visitor, and at most this many in all. */
const MAX_SAVED_BOOTS = 1000;

/** What of `state` goes into the file. */
export function serializeState(state: EmulatorState): string {
	const latest = new Map<string, MessengerBoot>();
	for (const boot of state.messengerBoots) {
		const key = `${boot.accepted}|${boot.userId ?? boot.email ?? "anonymous"}`;
		latest.delete(key);
		latest.set(key, boot);
	}
	const file: StateFileV1 = {
		version: 1,
		contacts: [...state.contacts.values()],
		conversations: [...state.conversations.values()],
		tokens: [...state.tokens],
		messengerBoots: [...latest.values()].slice(-MAX_SAVED_BOOTS),
		nextSeq: state.nextSeq,
		nextConversationId: state.nextConversationId,
		dataAttributes: state.dataAttributes,
		nextDataAttributeId: state.nextDataAttributeId,
		events: state.events,
		mergedInto: [...state.mergedInto],
	};
	return JSON.stringify(file);
}

/**
 * Fills `state` from the file at `path`, if there is one.
 * @returns whether a file was loaded.
 * @throws ConfigError when the file exists but is not a state file this version can read.
 */
export function loadStateFile(path: string, state: EmulatorState): boolean {
	let text: string;
	try {
		text = readFileSync(path, "utf8");
	} catch (err) {
		if ((err as NodeJS.ErrnoException).code === "ENOENT") return false;
		throw err;
	}
	let file: StateFileV1;
	try {
		file = JSON.parse(text) as StateFileV1;
	} catch {
		throw new ConfigError(
			`The Intercom emulator's state file ${path} is not valid JSON. Delete it to start the emulator afresh (its contacts and conversations are then forgotten).`,
		);
	}
	if (file?.version !== 1 || !Array.isArray(file.contacts) || !Array.isArray(file.conversations)) {
		throw new ConfigError(
			`The Intercom emulator's state file ${path} is not one this version can read (version ${JSON.stringify(file?.version)}). Delete it to start the emulator afresh.`,
		);
	}
	state.contacts = new Map(file.contacts.map((r) => [r.contact.id, r]));
	state.conversations = new Map(file.conversations.map((c) => [c.id, c]));
	for (const token of file.tokens ?? []) state.tokens.add(token);
	state.messengerBoots = Array.isArray(file.messengerBoots) ? file.messengerBoots : [];
	state.nextSeq = Math.max(state.nextSeq, Number(file.nextSeq) || 0);
	state.nextConversationId = Math.max(state.nextConversationId, Number(file.nextConversationId) || 0);
	if (Array.isArray(file.dataAttributes)) state.dataAttributes = file.dataAttributes;
	state.nextDataAttributeId = Math.max(state.nextDataAttributeId, Number(file.nextDataAttributeId) || 0);
	if (Array.isArray(file.events)) state.events = file.events;
	if (Array.isArray(file.mergedInto)) state.mergedInto = new Map(file.mergedInto);
	return true;
}

/** A debounced, atomic writer of the state to `path`. */
export interface StateFileWriter {
	/** Saves soon (after `debounceMs` without further changes). */
	schedule(): void;
	/** Saves now if a save is pending or under way, and resolves when the file is written. */
	flush(): Promise<void>;
}

/** Creates the writer; `read` gives the state at the moment of writing. */
export function createStateFileWriter(
	path: string,
	read: () => EmulatorState,
	debounceMs = 200,
	onError: (err: Error) => void = () => {},
): StateFileWriter {
	let timer: ReturnType<typeof setTimeout> | null = null;
	let writing: Promise<void> = Promise.resolve();
	let counter = 0;
	const write = () => {
		timer = null;
		const text = serializeState(read());
		writing = writing.then(async () => {
			const temp = `${path}.${process.pid}.${++counter}.tmp`;
			try {
				await mkdir(dirname(path), { recursive: true });
				await writeFile(temp, text, { mode: 0o600 });
				await rename(temp, path);
			} catch (err) {
				await rm(temp, { force: true }).catch(() => {});
				onError(err as Error);
			}
		});
		return writing;
	};
	return {
		schedule() {
			if (timer) clearTimeout(timer);
			timer = setTimeout(write, debounceMs);
			timer.unref?.();
		},
		flush() {
			if (timer) {
				clearTimeout(timer);
				return write();
			}
			return writing;
		},
	};
}

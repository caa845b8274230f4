/**
 * The emulator's in-memory workspace: contacts, conversations, tokens, OAuth codes, recorded
 * requests and Messenger boots. One workspace serves all three regions (a region is only a base
 * URL here), so a test can prove a client uses the regional base without juggling several fakes.
 */
import { randomBytes } from "node:crypto";
import type { Contact } from "./contact-shape.ts";
import type { Conversation } from "./conversation-shape.ts";
import type { DataAttribute } from "./data-attributes.ts";
import type { DataEventRecord } from "./events-routes.ts";

export type EmulatorRegion = "us" | "eu" | "au";

/** A Messenger app (workspace) known to the emulator. */
export interface EmulatorApp {
	appId: string;
	/** Identity verification secret: when set, identified boots must carry a valid `user_hash` or JWT. */
	identitySecret?: string;
	region?: EmulatorRegion;
	/** IANA timezone of the workspace; search compares dates by calendar day in it. Default `UTC`. */
	timezone?: string;
}

/** An OAuth client (a public app in the Developer Hub). */
export interface EmulatorOAuthClient {
	clientId: string;
	clientSecret: string;
	/** Allowed `redirect_uri` values; the first one is the default. Unset: any http(s) URL is allowed. */
	redirectUris?: string[];
}

/** One request the emulator answered (the token is never kept, only its last four characters). */
export interface RecordedRequest {
	method: string;
	/** Path without the region prefix, e.g. `/contacts/search`. */
	path: string;
	region: EmulatorRegion;
	/** The `Intercom-Version` header, or null when absent. */
	version: string | null;
	/** `…abcd` (last four characters of the bearer token), or null without one. */
	tokenHint: string | null;
	status: number;
	at: number;
}

/** One Messenger boot (or update) the widget stand-in posted. */
export interface MessengerBoot {
	kind: "boot" | "update";
	appId: string;
	userId: string | undefined;
	email: string | undefined;
	name: string | undefined;
	verified: boolean;
	method: "hash" | "jwt" | "none";
	/** Whether the emulator accepted it (an app with an identity secret rejects unverified users). */
	accepted: boolean;
	/** Why it was rejected, when it was. */
	error?: string;
	/** The contact it created or updated. */
	contactId?: string;
	at: number;
}

/** A contact as stored: the API shape plus what only the emulator knows. */
export interface ContactRecord {
	contact: Contact;
	archived: boolean;
	/** Epoch ms from which search sees it (Intercom's index lags behind writes). */
	searchableAt: number;
	/** Insertion order, the default sort. */
	seq: number;
}

export interface OAuthCode {
	clientId: string;
	redirectUri: string;
	expiresAt: number;
	/** The workspace (app id) the admin authorized; the token issued for the code belongs to it. */
	appId: string;
}

export interface EmulatorState {
	contacts: Map<string, ContactRecord>;
	conversations: Map<string, Conversation>;
	/** Accepted bearer tokens: given ones and those issued through OAuth. */
	tokens: Set<string>;
	/** The workspace (app id) of each token issued through OAuth; other tokens answer for the first app. */
	tokenApps: Map<string, string>;
	codes: Map<string, OAuthCode>;
	requests: RecordedRequest[];
	messengerBoots: MessengerBoot[];
	nextSeq: number;
	nextConversationId: number;
	/** Custom data attributes (the standard ones are not stored). */
	dataAttributes: DataAttribute[];
	nextDataAttributeId: number;
	/** Data events, oldest first. */
	events: DataEventRecord[];
	/** Ids of leads merged away, and the user each was merged into (`GET` answers 410). */
	mergedInto: Map<string, string>;
}

export function createEmulatorState(tokens: readonly string[]): EmulatorState {
	return {
		contacts: new Map(),
		conversations: new Map(),
		tokens: new Set(tokens),
		tokenApps: new Map(),
		codes: new Map(),
		requests: [],
		messengerBoots: [],
		nextSeq: 1,
		nextConversationId: 1000000001,
		dataAttributes: [],
		nextDataAttributeId: 1,
		events: [],
		mergedInto: new Map(),
	};
}

/** A 24-hex id, like Intercom's Mongo-style contact ids. */
export function newContactId(): string {
	return randomBytes(12).toString("hex");
}

/** An opaque random string for tokens and OAuth codes. */
export function randomToken(prefix: string): string {
	return `${prefix}${randomBytes(24).toString("base64url")}`;
}

/** Unix seconds of an epoch-ms clock reading. */
export function unixSeconds(ms: number): number {
	return Math.floor(ms / 1000);
}

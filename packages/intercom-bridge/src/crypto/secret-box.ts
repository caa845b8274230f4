/**
 * Encryption at rest for stored secrets (client secret, identity verification secret, access
 * token, webhook API key).
 *
 * Threat model: someone who can read the database files or a dump must not learn a secret. The
 * key lives outside the database (`INTERCOM_BRIDGE_SECRET_KEY`, or for the embedded database only a
 * key file beside it). AES-256-GCM authenticates each value; the additional data binds a value to
 * its site and setting key, so ciphertexts cannot be swapped between rows. A key id (4 bytes of
 * SHA-256 of the key) lets us say "wrong key" instead of "corrupt data".
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { ConfigError, IntercomBridgeError } from "../errors.ts";

const VERSION = 1;
const IV_LENGTH = 12;
const TAG_LENGTH = 16;
const KEY_ID_LENGTH = 4;
const HEADER_LENGTH = 1 + KEY_ID_LENGTH + IV_LENGTH + TAG_LENGTH;

/** Seals and opens small secret strings with one AES-256-GCM key. */
export interface SecretBox {
	/** Hex id of the key (not secret): the first 4 bytes of its SHA-256. */
	readonly keyId: string;
	/** Encrypts `plain`; `context` (e.g. `site:3/clientSecret`) must be given again to open it. */
	seal(plain: string, context: string): Uint8Array;
	/** Decrypts what {@link SecretBox.seal} returned. @throws IntercomBridgeError SECRET_KEY_MISMATCH */
	open(sealed: Uint8Array, context: string): string;
}

/**
 * Creates a {@link SecretBox} over a 32-byte key.
 * @throws ConfigError when the key is not 32 bytes.
 */
export function createSecretBox(key: Uint8Array): SecretBox {
	if (key.length !== 32) {
		throw new ConfigError(`The secret key must be 32 bytes, got ${key.length}.`);
	}
	const keyIdBytes = createHash("sha256").update(key).digest().subarray(0, KEY_ID_LENGTH);
	const keyId = keyIdBytes.toString("hex");
	return {
		keyId,
		seal(plain, context) {
			const iv = randomBytes(IV_LENGTH);
			const cipher = createCipheriv("aes-256-gcm", key, iv);
			cipher.setAAD(Buffer.from(context, "utf8"));
			const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
			const tag = cipher.getAuthTag();
			return new Uint8Array(Buffer.concat([Buffer.from([VERSION]), keyIdBytes, iv, tag, body]));
		},
		open(sealed, context) {
			const buf = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
			if (buf.length < HEADER_LENGTH || buf[0] !== VERSION) {
				throw new IntercomBridgeError(
					"SECRET_KEY_MISMATCH",
					`A stored secret (${context}) is not in a format this version can read.`,
				);
			}
			const storedKeyId = buf.subarray(1, 1 + KEY_ID_LENGTH).toString("hex");
			if (storedKeyId !== keyId) {
				throw new IntercomBridgeError(
					"SECRET_KEY_MISMATCH",
					`A stored secret (${context}) was encrypted with another key (id ${storedKeyId}, current ${keyId}). ` +
						"Set INTERCOM_BRIDGE_SECRET_KEY to the key used when it was saved, or set the secret again.",
				);
			}
			const iv = buf.subarray(1 + KEY_ID_LENGTH, 1 + KEY_ID_LENGTH + IV_LENGTH);
			const tag = buf.subarray(1 + KEY_ID_LENGTH + IV_LENGTH, HEADER_LENGTH);
			const decipher = createDecipheriv("aes-256-gcm", key, iv);
			decipher.setAAD(Buffer.from(context, "utf8"));
			decipher.setAuthTag(tag);
			try {
				return Buffer.concat([decipher.update(buf.subarray(HEADER_LENGTH)), decipher.final()]).toString(
					"utf8",
				);
			} catch (cause) {
				throw new IntercomBridgeError(
					"SECRET_KEY_MISMATCH",
					`A stored secret (${context}) failed its integrity check: it was altered or copied from another row.`,
					{ cause },
				);
			}
		},
	};
}

/** The id of the key a value was sealed with (see {@link SecretBox.keyId}), or null when it is not one of ours. */
export function sealedKeyId(sealed: Uint8Array): string | null {
	if (sealed.length < HEADER_LENGTH || sealed[0] !== VERSION) return null;
	return Buffer.from(sealed.buffer, sealed.byteOffset + 1, KEY_ID_LENGTH).toString("hex");
}

/**
 * Parses `INTERCOM_BRIDGE_SECRET_KEY`: 32 bytes as 64 hex digits or as base64 / base64url.
 * @throws ConfigError naming how to make a key.
 */
export function parseSecretKey(text: string): Uint8Array {
	const trimmed = text.trim();
	let bytes: Buffer | undefined;
	if (/^[0-9a-fA-F]{64}$/.test(trimmed)) {
		bytes = Buffer.from(trimmed, "hex");
	} else if (/^[A-Za-z0-9+/_-]{43}={0,1}$/.test(trimmed)) {
		bytes = Buffer.from(trimmed.replace(/-/g, "+").replace(/_/g, "/"), "base64");
	}
	if (bytes?.length !== 32) {
		throw new ConfigError(
			"INTERCOM_BRIDGE_SECRET_KEY must be 32 random bytes written as base64 (44 characters) or hex (64 digits). " +
				"Make one with: node -e \"console.log(require('node:crypto').randomBytes(32).toString('base64'))\"",
		);
	}
	return new Uint8Array(bytes);
}

/** A new random 32-byte key. */
export function generateSecretKey(): Uint8Array {
	return new Uint8Array(randomBytes(32));
}

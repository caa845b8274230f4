/**
 * Admin password hashing with scrypt from node:crypto (OWASP Password Storage: N=2^17, r=8, p=1).
 * The parameters are stored with the hash so they can be raised later; `needsRehash` tells when.
 */
import { randomBytes, scrypt as scryptCallback, timingSafeEqual } from "node:crypto";
import { promisify } from "node:util";

const scrypt = promisify(scryptCallback) as (
	password: string,
	salt: Buffer,
	keylen: number,
	options: { N: number; r: number; p: number; maxmem: number },
) => Promise<Buffer>;

/** Current parameters. N=2^17 needs 128 MiB, above Node's default maxmem of 32 MiB. */
export const SCRYPT_PARAMS = { ln: 17, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;

/** Hashes a password as `$scrypt$ln=17,r=8,p=1$<salt b64>$<hash b64>`. */
export async function hashPassword(
	password: string,
	params: { ln: number; r: number; p: number } = SCRYPT_PARAMS,
): Promise<string> {
	const salt = randomBytes(16);
	const hash = await derive(password, salt, params);
	return `$scrypt$ln=${params.ln},r=${params.r},p=${params.p}$${salt.toString("base64")}$${hash.toString("base64")}`;
}

/** Checks a password against a stored hash in constant time. A malformed hash never matches. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
	const parsed = parseHash(stored);
	if (!parsed) return false;
	const actual = await derive(password, parsed.salt, parsed.params);
	return actual.length === parsed.hash.length && timingSafeEqual(actual, parsed.hash);
}

/** True when the stored hash used other parameters than {@link SCRYPT_PARAMS}. */
export function needsRehash(stored: string): boolean {
	const parsed = parseHash(stored);
	return (
		!parsed ||
		parsed.params.ln !== SCRYPT_PARAMS.ln ||
		parsed.params.r !== SCRYPT_PARAMS.r ||
		parsed.params.p !== SCRYPT_PARAMS.p
	);
}

/** A random password for generated admin accounts: 18 bytes, base64url (24 characters). */
export function generatePassword(): string {
	return randomBytes(18).toString("base64url");
}

function derive(password: string, salt: Buffer, params: { ln: number; r: number; p: number }) {
	const N = 2 ** params.ln;
	return scrypt(password.normalize("NFKC"), salt, KEY_LENGTH, {
		N,
		r: params.r,
		p: params.p,
		maxmem: 256 * N * params.r + 16 * 1024 * 1024,
	});
}

function parseHash(stored: string) {
	const m = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/.exec(
		stored,
	);
	if (!m) return undefined;
	const params = { ln: Number(m[1]), r: Number(m[2]), p: Number(m[3]) };
	if (params.ln < 10 || params.ln > 20 || params.r < 1 || params.p < 1) return undefined;
	return { params, salt: Buffer.from(m[4] ?? "", "base64"), hash: Buffer.from(m[5] ?? "", "base64") };
}

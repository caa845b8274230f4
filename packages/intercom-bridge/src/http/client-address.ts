/**
 * The client's address, for per-address limits and the sign-in audit trail.
 *
 * The core speaks Fetch `Request`, which carries no peer address, so the adapters pass the
 * connection's address beside it (`bridge.handler(request, { clientAddress })`, the Hono env of the
 * bridge's app); under @hono/node-server the Node request in `env.incoming` has it too.
 * `X-Forwarded-For` is believed only with `trustProxy`: without a proxy that overwrites it, any
 * client could claim any address and so step around every per-address limit.
 */
import type { Context } from "hono";

/** What an adapter knows of the connection a request came on. */
export interface ConnectionInfo {
	/** The peer's IP address (`req.socket.remoteAddress`); null or absent when unknown. */
	clientAddress?: string | null;
}

/** Longest address kept (an IPv6 address with a zone fits). */
const MAX_ADDRESS_LENGTH = 64;

/**
 * The client's IP: with trustProxy the address our proxy appended last to `X-Forwarded-For`, else
 * the connection's; null when neither is known (then per-address limits do not apply).
 */
export function clientAddress(c: Context, trustProxy: boolean): string | null {
	return pickAddress(c.req.header("x-forwarded-for"), connectionOf(c.env).clientAddress, trustProxy);
}

/**
 * The rule of {@link clientAddress} over its two inputs (the `X-Forwarded-For` value and the
 * connection's address), for callers that hold a request rather than a Hono context.
 */
export function pickAddress(
	forwardedFor: string | null | undefined,
	connection: string | null | undefined,
	trustProxy: boolean,
): string | null {
	if (trustProxy) {
		const forwarded = forwardedFor?.split(",").at(-1)?.trim();
		if (forwarded) return forwarded.slice(0, MAX_ADDRESS_LENGTH);
	}
	return connection ? connection.slice(0, MAX_ADDRESS_LENGTH) : null;
}

/**
 * The connection facts in a Hono env: the bridge's own (`clientAddress`, from an adapter), or the
 * Node request @hono/node-server puts in `env.incoming`. Other runtimes give neither.
 */
export function connectionOf(env: unknown): ConnectionInfo {
	const e = env as (ConnectionInfo & { incoming?: { socket?: { remoteAddress?: string } } }) | undefined;
	return { clientAddress: e?.clientAddress ?? e?.incoming?.socket?.remoteAddress ?? null };
}

/**
 * The key a per-address limit counts under: an IPv4 address as it is (also when written as
 * IPv4-mapped IPv6), an IPv6 address by its /64 network, since one host usually has a whole /64
 * and could otherwise take a new address for every request. Anything else is used as given.
 */
export function addressKey(address: string): string {
	const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
	if (mapped?.[1]) return mapped[1];
	if (!address.includes(":")) return address;
	const bare = address.replace(/%.*$/, "").toLowerCase();
	const halves = bare.split("::");
	if (halves.length > 2) return address;
	const head = halves[0] ? halves[0].split(":") : [];
	const tail = halves.length === 2 && halves[1] ? halves[1].split(":") : [];
	// An embedded IPv4 tail ("64:ff9b::1.2.3.4") is in the host half: only the first four count.
	const groups = [...head, ...Array(Math.max(0, 8 - head.length - tail.length)).fill("0"), ...tail];
	const network = groups.slice(0, 4);
	if (network.length < 4 || !network.every((g) => /^[0-9a-f]{1,4}$/.test(g))) return address;
	return `${network.map((g) => g.replace(/^0+(?=.)/, "")).join(":")}::/64`;
}

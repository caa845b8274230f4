import { createHmac } from "node:crypto";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { createVisitorCookie } from "./visitor-cookie.ts";

// Counts the HMACs the cookie computes: one per value it checks rather than remembers.
vi.mock("node:crypto", async (importOriginal) => {
	const actual = await importOriginal<typeof import("node:crypto")>();
	return { ...actual, createHmac: vi.fn(actual.createHmac) };
});
const hmacs = () => vi.mocked(createHmac).mock.calls.length;

const KEY = new Uint8Array(32).fill(7);
const GUID = "6f1c2a4e-8b7d-4c3e-9f10-1a2b3c4d5e6f";
const OTHER = "0d3b5c7e-1f2a-4b6c-8d9e-0a1b2c3d4e5f";
const THIRD = "11111111-2222-4333-8444-555555555555";

const cookieOf = (setCookie: string) => setCookie.split(";")[0] ?? "";
const macOf = (value: string) => value.slice(value.indexOf(".") + 1);

beforeEach(() => {
	vi.mocked(createHmac).mockClear();
});

describe("visitor cookie", () => {
	it("reads what it wrote among other cookies, and nothing unsigned or under another name", () => {
		const cookie = createVisitorCookie({ name: "ib_contact", maxAgeDays: 1, key: KEY });
		const value = cookieOf(cookie.write(GUID, true));
		expect(cookie.read(`a=1; ${value}; b=2`)).toBe(GUID);
		expect(cookie.read(`a=1;${value}`)).toBe(GUID);
		const signed = value.slice("ib_contact=".length);
		expect(cookie.read(`a=1;\tib_contact = ${signed} ;b=2`)).toBe(GUID); // unusual spacing
		expect(cookie.read(`ib_contact;${value}`)).toBe(GUID);
		expect(cookie.read(`ib_contact=${GUID}`)).toBeNull();
		expect(cookie.read(`ib_contactx=${value.slice("ib_contact=".length)}`)).toBeNull();
		expect(cookie.read(`x${value}`)).toBeNull();
		expect(cookie.read("")).toBeNull();
		expect(cookie.read(null)).toBeNull();
		// A second cookie of the same name counts when the first does not verify.
		expect(cookie.read(`ib_contact=${OTHER}.AAAAAAAAAAAAAAAAAAAAAA; ${value}`)).toBe(GUID);
		// Upper-case GUIDs verify against their own MAC and read as lower case.
		const upper = createVisitorCookie({ name: "ib_contact", maxAgeDays: 1, key: KEY });
		expect(upper.read(cookieOf(upper.write(GUID.toUpperCase(), false)))).toBe(GUID);
	});

	it("checks a value's HMAC once while it is remembered", () => {
		const cookie = createVisitorCookie({ name: "ib_contact", maxAgeDays: 1, key: KEY });
		const value = cookieOf(cookie.write(GUID, false));
		const written = hmacs();
		for (let i = 0; i < 5; i++) expect(cookie.read(`theme=dark; ${value}`)).toBe(GUID);
		expect(hmacs() - written).toBe(1);
	});

	it("never serves a tampered value from memory, even right after the genuine one was remembered", () => {
		const cookie = createVisitorCookie({ name: "ib_contact", maxAgeDays: 1, key: KEY });
		const value = cookieOf(cookie.write(GUID, false));
		expect(cookie.read(value)).toBe(GUID);
		const mac = macOf(value);
		const tampered = [
			`ib_contact=${GUID}.${mac.slice(0, -1)}${mac.endsWith("A") ? "B" : "A"}`, // another MAC, same GUID
			`ib_contact=${OTHER}.${mac}`, // the same MAC for another GUID
			`ib_contact=${GUID}.${mac}x`, // the right value with more after it
			`ib_contact=${GUID}.${mac.slice(0, -1)}`, // a prefix of the right value
			`ib_contact=${GUID.toUpperCase()}.${mac}`, // the GUID in other letters: a different message
		];
		for (const header of tampered) {
			const before = hmacs();
			expect(cookie.read(header)).toBeNull();
			expect(cookie.read(header)).toBeNull();
			// Checked again each time: a value that failed is not remembered.
			expect(hmacs() - before).toBe(2);
		}
		expect(cookie.read(value)).toBe(GUID);
	});

	it("remembers at most `remember` values, dropping the oldest first; 0 remembers none", () => {
		const cookie = createVisitorCookie({ name: "c", maxAgeDays: 1, key: KEY, remember: 2 });
		const [a, b, c] = [GUID, OTHER, THIRD].map((guid) => cookieOf(cookie.write(guid, false)));
		const checks = (header: string | undefined) => {
			const before = hmacs();
			expect(cookie.read(header ?? null)).not.toBeNull();
			return hmacs() - before;
		};
		expect([checks(a), checks(b), checks(a), checks(b)]).toEqual([1, 1, 0, 0]);
		expect(checks(c)).toBe(1); // a is dropped to make room
		expect([checks(b), checks(c)]).toEqual([0, 0]);
		expect(checks(a)).toBe(1);

		const none = createVisitorCookie({ name: "c", maxAgeDays: 1, key: KEY, remember: 0 });
		const value = cookieOf(none.write(GUID, false));
		const before = hmacs();
		expect([none.read(value), none.read(value)]).toEqual([GUID, GUID]);
		expect(hmacs() - before).toBe(2);
	});

	it("answers the same header on the same connection from its last check, and anything else afresh", () => {
		const cookie = createVisitorCookie<string>({ name: "ib_contact", maxAgeDays: 1, key: KEY, remember: 1 });
		const [value, other] = [GUID, OTHER].map((guid) => cookieOf(cookie.write(guid, false)));
		const connection = {};
		const first = cookie.verified(`a=1; ${value}`, connection);
		expect(first?.guid).toBe(GUID);
		if (first) first.memo = "kept";
		// The remembered value is dropped (remember: 1), yet the same header on the same connection
		// still reads as before: the header was verified as a whole.
		expect(cookie.verified(other ?? "", {})?.guid).toBe(OTHER);
		const before = hmacs();
		expect(cookie.verified(`a=1; ${value}`, connection)).toBe(first);
		expect(hmacs()).toBe(before);
		// Another header on that connection is read and checked: a tampered one is refused.
		const mac = macOf(value ?? "");
		const tampered = `ib_contact=${OTHER}.${mac}`;
		expect(cookie.verified(tampered, connection)).toBeNull();
		expect(cookie.verified(tampered, connection)).toBeNull();
		expect(hmacs() - before).toBe(2);
		// Another visitor on the same connection gets its own entry, never the first one's slot.
		expect(cookie.verified(other ?? "", connection)?.memo).toBeUndefined();
		expect(cookie.verified(other ?? "", connection)?.guid).toBe(OTHER);
		// A new entry after the value was dropped: its slot starts empty.
		expect(cookie.verified(value ?? "", {})?.memo).toBeUndefined();
	});
});

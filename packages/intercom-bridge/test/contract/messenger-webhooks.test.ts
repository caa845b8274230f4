/**
 * The Messenger stand-in driven in node:vm with a tiny DOM (a Chromium run is done elsewhere), and
 * the webhook sender checked with an independent HMAC.
 */
import { createHmac } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { runInNewContext } from "node:vm";
import { SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { createIntercomEmulator, type IntercomEmulator } from "../../src/testing/index.ts";

const SECRET = "identity-secret";

interface FakeElement {
	id: string;
	style: Record<string, string>;
	textContent: string;
	attributes: Record<string, string>;
	parentNode: FakeElement | null;
	children: FakeElement[];
	setAttribute(name: string, value: string): void;
	addEventListener(): void;
	appendChild(child: FakeElement): FakeElement;
	removeChild(child: FakeElement): void;
}

function element(): FakeElement {
	const el: FakeElement = {
		id: "",
		style: {},
		textContent: "",
		attributes: {},
		parentNode: null,
		children: [],
		setAttribute: (name, value) => {
			el.attributes[name] = value;
		},
		addEventListener: () => {},
		appendChild: (child) => {
			child.parentNode = el;
			el.children.push(child);
			return child;
		},
		removeChild: (child) => {
			el.children = el.children.filter((c) => c !== child);
			child.parentNode = null;
		},
	};
	return el;
}

/** Loads the widget as the standard loader would, in a sandbox whose fetch goes to the emulator. */
async function loadWidget(
	emulator: IntercomEmulator,
	intercomSettings: Record<string, unknown>,
	queue: unknown[][] = [],
) {
	const script = await (await emulator.fetch(`${emulator.endpoints().widget}/abc12345`)).text();
	const body = element();
	const stub = Object.assign(() => {}, { q: queue });
	const window: Record<string, unknown> = { intercomSettings, Intercom: stub };
	window.window = window;
	window.document = { body, documentElement: body, createElement: element };
	window.fetch = (url: string, init: RequestInit) => emulator.fetch(url, init);
	runInNewContext(script, window);
	const api = window.__intercomEmulator as { settled(): Promise<unknown[]>; state: { booted: boolean } };
	await api.settled();
	return { window, body, api, intercom: window.Intercom as (...args: unknown[]) => unknown };
}

const userHash = (userId: string) => createHmac("sha256", SECRET).update(userId).digest("hex");

describe("Messenger stand-in", () => {
	const setup = () =>
		createIntercomEmulator({ tokens: ["t"], apps: [{ appId: "abc12345", identitySecret: SECRET }] });

	it("boots from intercomSettings with a valid user_hash, draws the launcher and upserts the user", async () => {
		const emulator = setup();
		const eu = emulator.endpoints("eu");
		const { body, intercom, api } = await loadWidget(emulator, {
			app_id: "abc12345",
			api_base: eu.messenger,
			user_id: "guid-42",
			email: "ann@example.com",
			name: "Ann",
			user_hash: userHash("guid-42"),
		});
		expect(body.children.map((c) => c.id)).toEqual(["intercom-emulator-launcher"]);
		expect(body.children[0]?.style).toMatchObject({ position: "fixed", right: "20px", bottom: "20px" });
		expect(emulator.messengerBoots).toEqual([
			expect.objectContaining({
				kind: "boot",
				appId: "abc12345",
				userId: "guid-42",
				verified: true,
				method: "hash",
				accepted: true,
			}),
		]);
		expect(emulator.requests.at(-1)).toMatchObject({ region: "eu", path: "/iam/messenger/web/ping" });
		expect(emulator.contacts()).toEqual([
			expect.objectContaining({
				role: "user",
				external_id: "guid-42",
				email: "ann@example.com",
				name: "Ann",
			}),
		]);
		// The stand-in tells the developer what Intercom got: the verdict and the fields, proofs masked.
		const badge = body.children[0]?.children[0];
		expect(badge).toMatchObject({ id: "intercom-emulator-identity-badge", textContent: "✓" });
		intercom("show");
		expect(body.children.map((c) => c.id)).toContain("intercom-emulator-messenger");
		const panel = body.children.find((c) => c.id === "intercom-emulator-messenger");
		const verdict = panel?.children.find((c) => c.id === "intercom-emulator-identity");
		expect(verdict).toMatchObject({
			textContent: "Verified with user_hash.",
			attributes: { "data-status": "verified" },
		});
		const fields = panel?.children
			.find((c) => c.id === "intercom-emulator-fields")
			?.children.map((c) => c.textContent);
		expect(fields).toEqual(expect.arrayContaining(["email", "ann@example.com", "user_hash", "(present)"]));
		expect(fields).not.toContain(userHash("guid-42"));
		intercom("update", { name: "Ann B" });
		await api.settled();
		expect(emulator.contacts()[0]?.name).toBe("Ann B");
		intercom("shutdown");
		expect(body.children).toEqual([]);
		expect(api.state.booted).toBe(false);
	});

	it("rejects an uppercase or wrong user_hash and an expired JWT; accepts a valid JWT from the queue", async () => {
		const emulator = setup();
		const uppercase = await loadWidget(emulator, {
			app_id: "abc12345",
			user_id: "guid-1",
			user_hash: userHash("guid-1").toUpperCase(),
		});
		// The widget shows the refusal (a red "!"), with the emulator's reason in the panel.
		expect(uppercase.body.children[0]?.children[0]?.textContent).toBe("!");
		uppercase.intercom("show");
		const verdict = uppercase.body.children[1]?.children.find((c) => c.id === "intercom-emulator-identity");
		expect(verdict?.attributes["data-status"]).toBe("failed");
		expect(verdict?.textContent).toContain("user_hash does not match");
		const key = new TextEncoder().encode(SECRET);
		const expired = await new SignJWT({ user_id: "guid-2" })
			.setProtectedHeader({ alg: "HS256" })
			.setExpirationTime(Math.floor(Date.now() / 1000) - 60)
			.sign(key);
		await loadWidget(emulator, { app_id: "abc12345", intercom_user_jwt: expired });
		const jwt = await new SignJWT({ user_id: "guid-3", email: "jo@example.com", name: "Jo" })
			.setProtectedHeader({ alg: "HS256" })
			.setExpirationTime("2h")
			.sign(key);
		// SPA style: no intercomSettings, boot queued before the script loaded.
		await loadWidget(emulator, {}, [["boot", { app_id: "abc12345", intercom_user_jwt: jwt }]]);
		expect(emulator.messengerBoots.map((b) => [b.method, b.verified, b.accepted])).toEqual([
			["hash", false, false],
			["jwt", false, false],
			["jwt", true, true],
		]);
		expect(emulator.contacts().map((c) => c.external_id)).toEqual(["guid-3"]);
	});

	it("accepts unverified users when the app has no identity secret, and visitors always", async () => {
		const emulator = createIntercomEmulator({ apps: [{ appId: "abc12345" }] });
		const plain = await loadWidget(emulator, { app_id: "abc12345", user_id: "plain" });
		expect(plain.body.children[0]?.children[0]?.textContent).toBe("?");
		const visitor = await loadWidget(emulator, { app_id: "abc12345" });
		expect(visitor.body.children[0]?.children[0]?.textContent).toBe("–");
		expect(emulator.messengerBoots.map((b) => [b.userId, b.verified, b.method, b.accepted])).toEqual([
			["plain", false, "none", true],
			[undefined, false, "none", true],
		]);
		const script = await emulator.fetch(`${emulator.endpoints().widget}/abc12345`, {
			headers: { Origin: "https://site.example" },
		});
		expect(script.headers.get("access-control-allow-origin")).toBe("*");
		expect(script.headers.get("content-type")).toContain("javascript");
	});
});

describe("webhook sender", () => {
	async function receiver() {
		const received: {
			method: string;
			headers: Record<string, string | string[] | undefined>;
			body: string;
		}[] = [];
		const server = createServer((req, res) => {
			let body = "";
			req.on("data", (chunk: Buffer) => {
				body += chunk.toString("utf8");
			});
			req.on("end", () => {
				received.push({ method: req.method ?? "", headers: req.headers, body });
				res.end("ok");
			});
		});
		await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
		const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
		return { url, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
	}

	it("signs notification_event deliveries and redelivers the same id with more attempts", async () => {
		const emulator = createIntercomEmulator();
		const hook = await receiver();
		try {
			const item = { type: "contact", id: "5f22", external_id: "guid-1" };
			await emulator.webhooks.sendNotification({
				url: hook.url,
				topic: "contact.user.created",
				data: item,
				clientSecret: "cs",
				id: "notif_1",
			});
			await emulator.webhooks.sendNotification({
				url: hook.url,
				topic: "contact.user.created",
				data: item,
				clientSecret: "cs",
				id: "notif_1",
			});
			const [first, second] = hook.received;
			for (const delivery of [first, second]) {
				const expected = `sha1=${createHmac("sha1", "cs")
					.update(Buffer.from(delivery?.body ?? "", "utf8"))
					.digest("hex")}`;
				expect(delivery?.headers["x-hub-signature"]).toBe(expected);
				expect(delivery?.headers["user-agent"]).toBe("intercom-parrot-service-client/1.0");
			}
			const a = JSON.parse(first?.body ?? "{}");
			const b = JSON.parse(second?.body ?? "{}");
			expect(a).toMatchObject({
				type: "notification_event",
				id: "notif_1",
				topic: "contact.user.created",
				delivery_attempts: 1,
				data: { type: "notification_event_data", item },
			});
			expect(b).toMatchObject({ id: "notif_1", delivery_attempts: 2, created_at: a.created_at });
		} finally {
			await hook.close();
		}
	});

	it("sends Series webhooks unsigned with custom headers and a body built from a contact", async () => {
		const emulator = createIntercomEmulator();
		emulator.seedContact({
			external_id: "guid-9",
			email: "series@example.com",
			custom_attributes: { plan: "pro" },
		});
		const hook = await receiver();
		try {
			await emulator.webhooks.sendSeries({
				url: hook.url,
				method: "PUT",
				headers: { XperienceApiKey: "k-1" },
				fromContact: "guid-9",
				template: { ContactGUID: "external_id", Email: "email", Plan: "custom_attributes.plan" },
			});
			const [req] = hook.received;
			expect(req?.method).toBe("PUT");
			expect(req?.headers.xperienceapikey).toBe("k-1");
			expect(req?.headers["x-hub-signature"]).toBeUndefined();
			expect(JSON.parse(req?.body ?? "")).toEqual({
				ContactGUID: "guid-9",
				Email: "series@example.com",
				Plan: "pro",
			});
		} finally {
			await hook.close();
		}
	});
});

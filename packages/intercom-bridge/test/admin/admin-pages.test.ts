/** The console's pages through app.request(): saving, validation, roles, secrets, catalog, contacts. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAdminApp } from "../../src/admin/create-admin-app.ts";
import { createLogger } from "../../src/logger.ts";
import { logNotificationActivity } from "../../src/store/topic-activity-store.ts";
import { seedActivity } from "../harness/seed-activity.ts";
import { type AdminFixture, adminFixture, browser, PASSWORD } from "./admin-harness.ts";

let f: AdminFixture;
let b: ReturnType<typeof browser>;
let csrf: string;
const SETUP = "/admin/sites/default/setup";
const SECRETS = {
	clientSecret: "cs_sentinel_9f8e7d6c5b4a3f2e",
	identityVerificationSecret: "ivs_sentinel_1a2b3c4d5e6f7a8b",
	accessToken: "tok_sentinel_0a9b8c7d6e5f4a3b",
};
const base = {
	appId: "abc123",
	region: "eu",
	identityMode: "hash",
	sendContactData: "never",
	clientId: "client-1",
};

beforeAll(async () => {
	f = await adminFixture();
	b = browser(f.app);
	await b.signIn();
	csrf = await b.csrf();
});
afterAll(async () => {
	await f.close();
});

describe("Intercom setup", () => {
	it("saves settings and confirms", async () => {
		const res = await b.post(SETUP, { _csrf: csrf, enabled: "true", ...base, ...SECRETS });
		expect(res.status).toBe(303);
		expect(res.headers.get("location")).toMatch(/\?saved=\d+$/);
		const s = await f.store.getSettings(1);
		expect(s).toMatchObject({ enabled: true, appId: "abc123", region: "eu", clientId: "client-1" });
		expect(s.clientSecret).toBe(SECRETS.clientSecret);
		const page = await (await b.get(res.headers.get("location") ?? "")).text();
		expect(page).toContain("Settings saved");
		expect(page).toContain("set, ends with …3f2e");
	});

	it("saves what happens in Intercom on withdrawal, and refuses an unknown choice", async () => {
		const page = await (await b.get(SETUP)).text();
		expect(page).toMatch(/name="onWithdrawal" id="onWithdrawal-stop" value="stop" checked/);
		expect((await f.store.getSettings(1)).onWithdrawal).toBe("stop");
		const saved = await b.post(SETUP, { _csrf: csrf, enabled: "true", ...base, onWithdrawal: "delete" });
		expect(saved.status).toBe(303);
		expect((await f.store.getSettings(1)).onWithdrawal).toBe("delete");
		const bad = await b.post(SETUP, { _csrf: csrf, enabled: "true", ...base, onWithdrawal: "forget" });
		expect(bad.status).toBe(422);
		expect(await bad.text()).toContain("Allowed values: stop, scrub, delete");
		expect((await f.store.getSettings(1)).onWithdrawal).toBe("delete");
		await b.post(SETUP, { _csrf: csrf, enabled: "true", ...base, onWithdrawal: "scrub" });
		expect((await f.store.getSettings(1)).onWithdrawal).toBe("scrub");
		await b.post(SETUP, { _csrf: csrf, enabled: "true", ...base, onWithdrawal: "stop" });
	});

	it("turns contact sync on and off with its checkbox, off by default", async () => {
		const page = await (await b.get(SETUP)).text();
		expect(page).toMatch(/id="syncContacts" name="syncContacts" value="true"(?! checked)/);
		expect((await f.store.getSettings(1)).syncContacts).toBe(false);
		await b.post(SETUP, { _csrf: csrf, enabled: "true", ...base, syncContacts: "true" });
		expect((await f.store.getSettings(1)).syncContacts).toBe(true);
		expect(await (await b.get(SETUP)).text()).toMatch(
			/id="syncContacts" name="syncContacts" value="true" checked/,
		);
		// An unchecked box is not submitted: the switch goes off.
		await b.post(SETUP, { _csrf: csrf, enabled: "true", ...base });
		expect((await f.store.getSettings(1)).syncContacts).toBe(false);
	});

	it("keeps secrets when their fields are left blank, and writes audit rows without values", async () => {
		await f.store.setSetting(1, "accessToken", SECRETS.accessToken);
		const res = await b.post(SETUP, {
			_csrf: csrf,
			enabled: "true",
			...base,
			appId: "abc124",
			clientSecret: "",
			identityVerificationSecret: "",
		});
		expect(res.status).toBe(303);
		const s = await f.store.getSettings(1);
		expect(s.clientSecret).toBe(SECRETS.clientSecret);
		expect(s.identityVerificationSecret).toBe(SECRETS.identityVerificationSecret);
		const audit = await f.store.listSettingsAudit(1);
		expect(audit.some((r) => r.key === "appId" && r.actor === "admin@example.com")).toBe(true);
		expect(JSON.stringify(audit)).not.toContain("abc124");
	});

	it("rejects bad input with the message beside the field and saves nothing", async () => {
		const res = await b.post(SETUP, {
			_csrf: csrf,
			...base,
			appId: "Not Valid!",
			clientSecret: "new-secret-value-123",
		});
		expect(res.status).toBe(422);
		const page = await res.text();
		expect(page).toMatch(/<p class="error" id="appId-error">[^<]*not a valid appId/);
		expect(page).toContain('aria-invalid="true"');
		expect(page).toContain('value="Not Valid!"');
		expect(page).not.toContain("new-secret-value-123");
		expect((await f.store.getSettings(1)).appId).toBe("abc124");
		expect((await f.store.getSettings(1)).clientSecret).toBe(SECRETS.clientSecret);
	});

	it("requires a consent for the consent policy, and disables the drop-down when none exists", async () => {
		const page = await (await b.get(SETUP)).text();
		expect(page).toMatch(/<select id="sendContactDataConsent"[^>]* disabled/);
		const res = await b.post(SETUP, { _csrf: csrf, ...base, sendContactData: "consent" });
		expect(res.status).toBe(422);
		expect(await res.text()).toContain("sendContactDataConsent-error");
		await f.store.addConsent({ codeName: "marketing", displayName: "Marketing" });
		expect(await (await b.get(SETUP)).text()).not.toMatch(
			/<select id="sendContactDataConsent"[^>]* disabled/,
		);
		const ok = await b.post(SETUP, {
			_csrf: csrf,
			...base,
			sendContactData: "consent",
			sendContactDataConsent: "marketing",
		});
		expect(ok.status).toBe(303);
		expect((await f.store.getSettings(1)).sendContactDataConsent).toBe("marketing");
	});

	it("clears a secret explicitly", async () => {
		await f.store.setSetting(1, "identityVerificationSecret", "temporary-secret-1");
		const res = await b.post(`${SETUP}/clear`, { _csrf: csrf, clear: "identityVerificationSecret" });
		expect(res.status).toBe(303);
		expect((await f.store.getSettings(1)).identityVerificationSecret).toBeNull();
		expect(await (await b.get(SETUP)).text()).toContain("identity verification secret is not set");
		expect((await b.post(`${SETUP}/clear`, { _csrf: csrf, clear: "appId" })).status).toBe(400);
		await f.store.setSetting(1, "identityVerificationSecret", SECRETS.identityVerificationSecret);
	});

	it("warns when Intercom is disabled and when not on HTTPS", async () => {
		await b.post(SETUP, { _csrf: csrf, ...base });
		const page = await (await b.get(SETUP)).text();
		expect(page).toContain("Intercom is disabled on this site");
		expect(page).toContain("not reached over HTTPS");
	});

	it("says how long a replaced client secret still verifies: the configured grace, not a fixed 24 hours", async () => {
		expect(await (await b.get(SETUP)).text()).toContain("still accepted for 24 hours");
		const graced = createAdminApp({
			store: f.store,
			logger: createLogger({ level: "silent" }),
			now: () => f.clock.now,
			apiKeyGracePeriodMs: 90 * 60_000,
		});
		const other = browser(graced);
		await other.signIn();
		const page = await (await other.get(SETUP)).text();
		expect(page).toContain("still accepted for 90 minutes");
		expect(page).not.toContain("24 hours");
	});
});

describe("secrets never reach the browser", () => {
	it("appear in no page", async () => {
		await f.store.setSetting(1, "clientSecret", SECRETS.clientSecret);
		await f.store.setSetting(1, "accessToken", SECRETS.accessToken);
		const key = (await f.store.getSettings(1)).webhookApiKey ?? "";
		expect(key.length).toBeGreaterThan(16);
		const contact = await f.store.createContact({ email: "ada@example.com" });
		const pages = [
			"/admin/login",
			SETUP,
			"/admin/sites/default/data-access",
			"/admin/sites/default/webhooks",
			"/admin/sites/default/audit",
			"/admin/sites/default/jobs",
			"/admin/contacts",
			`/admin/contacts/${contact.guid}`,
			"/admin/activity-types",
			"/admin/consents",
		];
		for (const path of pages) {
			const res = await b.get(path);
			const text = `${[...res.headers].join("\n")}\n${await res.text()}`;
			for (const secret of [...Object.values(SECRETS), key])
				expect(text, `${path} leaks`).not.toContain(secret);
		}
	});
});

describe("webhook security", () => {
	it("shows URLs and header, and a new API key only once", async () => {
		const page = await (await b.get("/admin/sites/default/webhooks")).text();
		expect(page).toContain("http://admin.test/intercom/updatecontact");
		expect(page).toContain("http://admin.test/intercom/logactivity");
		expect(page).toContain("X-Api-Key");
		expect(page).toContain("ActivityURL");
		const before = (await f.store.getSettings(1)).webhookApiKey ?? "";
		const rotations = async () =>
			(await f.store.listSettingsAudit(1)).filter((r) => r.action === "rotate").length;
		const rotationsBefore = await rotations();
		const res = await b.post("/admin/sites/default/webhooks/rotate", { _csrf: csrf });
		// Post/redirect/get: the POST answers with a redirect that holds no key.
		expect(res.status).toBe(303);
		const location = res.headers.get("location") ?? "";
		expect(location).toBe("/admin/sites/default/webhooks?generated=1");
		expect(await res.text()).toBe("");
		const after = (await f.store.getSettings(1)).webhookApiKey ?? "";
		expect(after).not.toBe(before);
		// Another session of the same administrator does not get the reveal.
		const other = browser(f.app);
		await other.signIn();
		expect(await (await other.get(location)).text()).not.toContain(after);
		// A HEAD request gets no body and does not use the reveal up.
		const head = await f.app.request(`http://admin.test${location}`, {
			method: "HEAD",
			headers: { cookie: [...b.jar].map(([k, v]) => `${k}=${v}`).join("; ") },
		});
		expect(head.status).toBe(200);
		const shown = await (await b.get(location)).text();
		expect(shown).toContain(`id="api-key">${after}<`);
		expect(shown).not.toContain(before);
		expect(shown).toContain("24 hours");
		// The keys accepted now, with until when (the fixture's clock is 2026-11-25 10:00 UTC).
		expect(shown).toContain(`ends with …${before.slice(-4)}`);
		expect(shown).toContain('until <time datetime="2026-11-26T10:00:00.000Z">2026-11-26 10:00 UTC</time>');
		// A reload: the key is not shown again, nothing rotates, and the page says why.
		const again = await (await b.get(location)).text();
		expect(again).not.toContain(after);
		expect(again).toContain("was shown once");
		expect(await (await b.get("/admin/sites/default/webhooks")).text()).not.toContain(after);
		expect((await f.store.getSettings(1)).webhookApiKey).toBe(after);
		expect((await rotations()) - rotationsBefore).toBe(1);
	});

	it("does not show a generated key that was replaced again before the page showed it", async () => {
		const res = await b.post("/admin/sites/default/webhooks/rotate", { _csrf: csrf });
		expect(res.status).toBe(303);
		const generated = (await f.store.getSettings(1)).webhookApiKey ?? "";
		// Another administrator (or the CLI) rotates before this browser follows the redirect.
		const later = await f.store.rotateWebhookApiKey(1, { actor: "other@example.com" });
		const page = await (await b.get(res.headers.get("location") ?? "")).text();
		expect(page).toContain("Another key was generated after this one");
		expect(page).not.toContain(generated);
		expect(page).not.toContain(later);
	});

	it("refuses a rotation past the limit of replaced keys in grace, saying until when", async () => {
		const start = f.clock.now;
		try {
			const rotate = () => b.post("/admin/sites/default/webhooks/rotate", { _csrf: csrf });
			let status = 303;
			for (let i = 0; i < 20 && status === 303; i++) {
				f.clock.now += 60_000;
				status = (await rotate()).status;
			}
			const current = (await f.store.getSettings(1)).webhookApiKey;
			const refused = await rotate();
			expect(refused.status).toBe(409);
			const text = await refused.text();
			expect(text).toContain("No new key was generated");
			expect(text).toContain("stops being accepted at");
			expect(text).not.toContain(current ?? "-");
			expect((await f.store.getSettings(1)).webhookApiKey).toBe(current);
		} finally {
			f.clock.now = start;
		}
	});

	it("sets and clears the body key that identifies a delivery, refusing a bad one", async () => {
		const path = "/admin/sites/default/webhooks/dedup";
		const bad = await b.post(path, { _csrf: csrf, webhookDedupField: "Event Id" });
		expect(bad.status).toBe(422);
		const badPage = await bad.text();
		expect(badPage).toContain("must be a body field name");
		expect(badPage).toContain('value="Event Id"');
		expect((await f.store.getSettings(1)).webhookDedupField).toBeNull();
		expect((await b.post(path, { _csrf: csrf, webhookDedupField: " EventId " })).status).toBe(200);
		expect((await f.store.getSettings(1)).webhookDedupField).toBe("EventId");
		expect(await (await b.get("/admin/sites/default/webhooks")).text()).toContain('value="EventId"');
		expect((await b.post(path, { _csrf: csrf, webhookDedupField: "" })).status).toBe(200);
		expect((await f.store.getSettings(1)).webhookDedupField).toBeNull();
	});
});

describe("activity types a site accepts", () => {
	it("lets a site's own modify admin choose them (PRG, audit), and hides them from another site's admin", async () => {
		const outlet = await f.store.createSite({ codeName: "outlet", displayName: "Outlet" });
		const mall = await f.store.createSite({ codeName: "mall", displayName: "Mall" });
		await f.store.addActivityType({ codeName: "pst_tour", displayName: "Tour booked" });
		await f.store.addActivityType({ codeName: "pst_order", displayName: "Order placed" });
		for (const [email, siteId] of [
			["outlet@example.com", outlet.id],
			["mall@example.com", mall.id],
		] as const) {
			await f.store.addAdminUser({ email, password: PASSWORD, siteId, role: "modify" });
		}
		const path = "/admin/sites/outlet/webhooks";
		const o = browser(f.app);
		await o.signIn("outlet@example.com");
		const token = await o.csrf();
		const page = await (await o.get(path)).text();
		expect(page).toMatch(/name="accept" id="accept-all" value="all" checked/);
		expect(page).toMatch(/<input type="checkbox" name="type:pst_order" id="type-pst_order" value="on">/);

		// Another site's admin: 404, as for any page of a site they have no role on.
		const m = browser(f.app);
		await m.signIn("mall@example.com");
		expect((await m.get(path)).status).toBe(404);
		const mallPost = { _csrf: await m.csrf(), accept: "chosen", "type:pst_tour": "on" };
		expect((await m.post(`${path}/activity-types`, mallPost)).status).toBe(404);
		// No CSRF token, no change.
		expect((await o.post(`${path}/activity-types`, { accept: "chosen", "type:pst_tour": "on" })).status).toBe(
			403,
		);
		expect(await f.store.listSiteActivityTypes(outlet.id)).toBeNull();

		const saved = await o.post(`${path}/activity-types`, {
			_csrf: token,
			accept: "chosen",
			"type:pst_order": "on",
		});
		expect(saved.status).toBe(303);
		expect(saved.headers.get("location")).toBe(`${path}?activityTypesSaved=1#types-h`);
		expect(await f.store.listSiteActivityTypes(outlet.id)).toEqual(["pst_order"]);
		expect(await f.store.listSiteActivityTypes(1)).toBeNull();
		expect(await f.store.listSettingsAudit(outlet.id)).toMatchObject([
			{ key: "activityTypes", action: "set", actor: "outlet@example.com" },
		]);
		const after = await (await o.get(`${path}?activityTypesSaved=1`)).text();
		expect(after).toContain("Saved the activity types this site accepts.");
		expect(after).toMatch(/name="accept" id="accept-chosen" value="chosen" checked/);
		expect(after).toMatch(/name="type:pst_order" id="type-pst_order" value="on" checked/);
		expect(after).not.toMatch(/name="type:pst_tour"[^>]* checked/);

		// None ticked: refused beside the field, nothing changed.
		const none = await o.post(`${path}/activity-types`, { _csrf: token, accept: "chosen" });
		expect(none.status).toBe(422);
		expect(await none.text()).toMatch(/<p class="error" id="accepted-types-error">Choose at least one/);
		const unknown = await o.post(`${path}/activity-types`, {
			_csrf: token,
			accept: "chosen",
			"type:nope": "on",
		});
		expect(unknown.status).toBe(422);
		expect((await o.post(`${path}/activity-types`, { _csrf: token, accept: "some" })).status).toBe(400);
		expect(await f.store.listSiteActivityTypes(outlet.id)).toEqual(["pst_order"]);

		expect((await o.post(`${path}/activity-types`, { _csrf: token, accept: "all" })).status).toBe(303);
		expect(await f.store.listSiteActivityTypes(outlet.id)).toBeNull();
	});
});

describe("Developer Hub topics a site turns into activities", () => {
	it("shows the signed URL and the topics, saves a choice per topic (PRG, audit) and a topic added by name", async () => {
		const site = await f.store.createSite({ codeName: "hub", displayName: "Hub" });
		await f.store.addActivityType({ codeName: "hub_chat", displayName: "Chat started" });
		await f.store.addActivityType({ codeName: "hub_tag", displayName: "Tagged" });
		const path = "/admin/sites/hub/webhooks";
		const page = await (await b.get(path)).text();
		expect(page).toContain('id="topics-h">Developer Hub topics');
		expect(page).toMatch(/\/intercom\/webhooks/);
		expect(page).toContain('id="topics-no-secret"');
		expect(page).toMatch(
			/<select id="topic:conversation\.user\.created" name="topic:conversation\.user\.created"/,
		);
		expect(page).toContain("contact.email.updated");

		const saved = await b.post(`${path}/topics`, {
			_csrf: csrf,
			"topic:conversation.user.created": "hub_chat",
			"topic:conversation.admin.closed": "",
			newTopic: " Contact.User.Tag.Created ",
			newTopicType: "hub_tag",
		});
		expect(saved.status).toBe(303);
		expect(saved.headers.get("location")).toBe(`${path}?topicsSaved=1#topics-h`);
		expect((await f.store.listTopicActivityTypes(site.id)).map((m) => [m.topic, m.typeCodeName])).toEqual([
			["contact.user.tag.created", "hub_tag"],
			["conversation.user.created", "hub_chat"],
		]);
		expect((await f.store.listSettingsAudit(site.id)).map((r) => r.key).sort()).toEqual([
			"topic:contact.user.tag.created",
			"topic:conversation.user.created",
		]);
		const after = await (await b.get(`${path}?topicsSaved=1`)).text();
		expect(after).toContain("Saved the activities Developer Hub topics log on this site.");
		expect(after).toMatch(/name="topic:contact\.user\.tag\.created"/);
		expect(after).toMatch(/<option value="hub_chat" selected>/);

		// Refused without changing anything: a bad name, a type without a topic, an unknown type.
		const refused: Record<string, string>[] = [
			{ newTopic: "not a topic", newTopicType: "hub_tag" },
			{ newTopic: "", newTopicType: "hub_tag" },
			{ newTopic: "contact.email.updated", newTopicType: "" },
			{ "topic:conversation.user.created": "", newTopic: "contact.email.updated", newTopicType: "nope" },
		];
		for (const fields of refused) {
			const res = await b.post(`${path}/topics`, { _csrf: csrf, ...fields });
			expect(res.status, JSON.stringify(fields)).toBe(422);
			expect(await res.text()).toContain('id="newTopic-error"');
		}
		expect(await f.store.listTopicActivityTypes(site.id)).toHaveLength(2);
		// "Log nothing" removes a choice.
		expect(
			(await b.post(`${path}/topics`, { _csrf: csrf, "topic:contact.user.tag.created": "" })).status,
		).toBe(303);
		expect((await f.store.listTopicActivityTypes(site.id)).map((m) => m.topic)).toEqual([
			"conversation.user.created",
		]);
		// No CSRF token, no change.
		expect((await b.post(`${path}/topics`, { "topic:conversation.user.created": "" })).status).toBe(403);
		expect(await f.store.listTopicActivityTypes(site.id)).toHaveLength(1);

		// The contact's page says where each activity came from.
		const contact = await f.store.createContact();
		await f.store.transaction((tx) =>
			logNotificationActivity(tx, {
				siteId: site.id,
				topic: "conversation.user.created",
				guids: [contact.guid],
				value: "Hello",
				url: null,
			}),
		);
		await f.store.recordActivity({ contactGuid: contact.guid, siteId: site.id, typeCodeName: "hub_tag" });
		const contactPage = await (await b.get(`/admin/contacts/${contact.guid}`)).text();
		expect(contactPage).toContain("Chat started - Hello");
		expect(contactPage).toContain('<span class="muted origin">from an Intercom notification</span>');
		expect(contactPage).toContain('<span class="muted origin">from this site</span>');
	});
});

describe("custom data attributes on the data access page", () => {
	it("shows the recorded checks, warns about unusable ones, and 'Check again' clears the record", async () => {
		const site = await f.store.requireSite("default");
		const path = "/admin/sites/default/data-access";
		expect(await (await b.get(path)).text()).toContain("Not checked yet");
		await f.store.saveDataAttributeChecks(site.id, "hash-1", [
			{ attribute: "plan", wantedType: "string", status: "created", intercomType: "string", message: null },
			{
				attribute: "seats",
				wantedType: "integer",
				status: "mismatch",
				intercomType: "string",
				message: 'Intercom has "seats" as string <b>',
			},
		]);
		const page = await (await b.get(path)).text();
		expect(page).toContain('id="attrs-unusable"');
		expect(page).toContain("1 mapped attribute(s) cannot be used");
		expect(page).toContain("<code>seats</code>");
		expect(page).toContain("type mismatch");
		// Intercom's words are escaped, never markup.
		expect(page).toContain("as string &lt;b&gt;");
		expect((await b.post("/admin/sites/default/data-attributes/recheck", {})).status).toBe(403);
		const recheck = await b.post("/admin/sites/default/data-attributes/recheck", { _csrf: csrf });
		expect(recheck.status).toBe(303);
		expect(recheck.headers.get("location")).toBe(`${path}?rechecked=1`);
		expect(await f.store.listDataAttributeChecks(site.id)).toEqual([]);
		expect(await (await b.get(`${path}?rechecked=1`)).text()).toContain(
			"checked again at the next contact sync",
		);
	});
});

describe("read-only role", () => {
	it("sees the pages without controls and cannot change anything", async () => {
		await f.store.addAdminUser({ email: "reader@example.com", password: PASSWORD, role: "read" });
		const r = browser(f.app);
		expect((await r.signIn("reader@example.com")).status).toBe(303);
		const page = await (await r.get(SETUP)).text();
		expect(page).toContain("read only");
		expect(page).not.toContain("Save settings");
		expect(page).toMatch(/<input type="text" id="appId"[^>]* disabled/);
		const token = await r.csrf();
		const before = await f.store.getSettings(1);
		const attempts = [
			[SETUP, { ...base, appId: "hacked1" }],
			[`${SETUP}/clear`, { clear: "clientSecret" }],
			["/admin/sites/default/webhooks/rotate", {}],
			["/admin/sites/default/webhooks/dedup", { webhookDedupField: "EventId" }],
			["/admin/sites/default/webhooks/activity-types", { accept: "all" }],
			["/admin/sites/default/webhooks/topics", { newTopic: "contact.email.updated", newTopicType: "x1" }],
			["/admin/sites/default/oauth/start", {}],
			["/admin/sites/default/oauth/disconnect", {}],
			["/admin/sites/default/data-attributes/recheck", {}],
			["/admin/activity-types", { codeName: "x1", displayName: "X" }],
			["/admin/activity-types/x1/intercom-events", { send: "on" }],
			["/admin/consents", { codeName: "x1", displayName: "X" }],
		] as const;
		for (const [path, fields] of attempts) {
			expect((await r.post(path, { _csrf: token, ...fields })).status, path).toBe(403);
		}
		const after = await f.store.getSettings(1);
		expect(after).toEqual(before);
		expect(await f.store.getActivityType("x1")).toBeNull();
	});

	it("hides sites the user has no role on", async () => {
		const other = await f.store.createSite({ codeName: "shop", displayName: "Shop" });
		await f.store.addAdminUser({
			email: "shop@example.com",
			password: PASSWORD,
			siteId: other.id,
			role: "modify",
		});
		const s = browser(f.app);
		await s.signIn("shop@example.com");
		expect((await s.get(SETUP)).status).toBe(404);
		expect((await s.get("/admin/sites/shop/setup")).status).toBe(200);
		expect((await s.get("/admin")).headers.get("location")).toBe("/admin/sites/shop/overview");
		// A role on one site does not allow changing what all sites share.
		expect(
			(await s.post("/admin/activity-types", { _csrf: await s.csrf(), codeName: "y1", displayName: "Y" }))
				.status,
		).toBe(403);
	});
});

describe("activity types and consents", () => {
	it("adds, renames, disables and enables an activity type", async () => {
		expect(
			(await b.post("/admin/activity-types", { _csrf: csrf, codeName: "demo", displayName: "Demo" })).status,
		).toBe(303);
		expect(
			(await b.post("/admin/activity-types/demo/rename", { _csrf: csrf, displayName: "Demo booked" })).status,
		).toBe(303);
		expect((await b.post("/admin/activity-types/demo/disable", { _csrf: csrf })).status).toBe(303);
		expect(await f.store.getActivityType("demo")).toMatchObject({
			displayName: "Demo booked",
			enabled: false,
		});
		await b.post("/admin/activity-types/demo/enable", { _csrf: csrf });
		expect((await f.store.getActivityType("demo"))?.enabled).toBe(true);
		const bad = await b.post("/admin/activity-types", { _csrf: csrf, codeName: "9 bad", displayName: "x" });
		expect(bad.status).toBe(422);
		expect(await bad.text()).toContain('id="codeName-error"');
		const dup = await b.post("/admin/activity-types", { _csrf: csrf, codeName: "demo", displayName: "x" });
		expect(dup.status).toBe(422);
	});

	it("opts an activity type in and out of Intercom data events, with an audit row", async () => {
		await f.store.addActivityType({ codeName: "form_sent", displayName: "Form sent" });
		const page = await (await b.get("/admin/activity-types")).text();
		expect(page).toContain('action="/admin/activity-types/form_sent/intercom-events"');
		expect(page).toContain("<code>form-sent</code>");
		expect(page).not.toContain('id="events-form_sent" name="send" value="on" checked');
		expect(
			(await b.post("/admin/activity-types/form_sent/intercom-events", { _csrf: csrf, send: "on" })).status,
		).toBe(303);
		expect((await f.store.getActivityType("form_sent"))?.sendToIntercom).toBe(true);
		expect(await (await b.get("/admin/activity-types")).text()).toContain(
			'id="events-form_sent" name="send" value="on" checked',
		);
		// An unticked box sends no field: off.
		expect((await b.post("/admin/activity-types/form_sent/intercom-events", { _csrf: csrf })).status).toBe(
			303,
		);
		expect((await f.store.getActivityType("form_sent"))?.sendToIntercom).toBe(false);
		expect(
			(await b.post("/admin/activity-types/missing/intercom-events", { _csrf: csrf, send: "on" })).status,
		).toBe(422);
		expect((await b.post("/admin/activity-types/form_sent/intercom-events", { send: "on" })).status).toBe(
			403,
		);
		expect((await f.store.getActivityType("form_sent"))?.sendToIntercom).toBe(false);
		const site = await f.store.requireSite("default");
		const audit = await f.store.listAudit(site.id, { limit: 10 });
		expect(audit.map((a) => `${a.key}:${a.action}`)).toEqual(
			expect.arrayContaining(["form_sent:intercom-events-on", "form_sent:intercom-events-off"]),
		);
	});

	it("names an activity event's disclosure on the contact page", async () => {
		const contact = await f.store.createContact({ email: "events@example.com" });
		await f.store.recordDisclosure({
			siteId: 1,
			guid: contact.guid,
			recipient: "intercom",
			channel: "event",
			fields: ["user_id", "event_name", "created_at", "metadata.title"],
			policy: "always",
		});
		const page = await (await b.get(`/admin/contacts/${contact.guid}`)).text();
		expect(page).toContain("activity as an Intercom data event");
		expect(page).toContain("metadata.title");
	});

	it("disables and enables a consent", async () => {
		await f.store.addConsent({ codeName: "promos", displayName: "Promotions" });
		expect((await b.post("/admin/consents/promos/disable", { _csrf: csrf })).status).toBe(303);
		expect((await f.store.getConsent("promos"))?.enabled).toBe(false);
		expect(await (await b.get("/admin/consents")).text()).toContain("Disabled: visitors cannot agree to it.");
		expect((await b.post("/admin/consents/promos/enable", { _csrf: csrf })).status).toBe(303);
		expect((await f.store.getConsent("promos"))?.enabled).toBe(true);
		expect((await b.post("/admin/consents/missing/disable", { _csrf: csrf })).status).toBe(422);
		expect((await b.post("/admin/consents/promos/disable", {})).status).toBe(403);
	});

	it("adds and edits a consent", async () => {
		expect(
			(
				await b.post("/admin/consents", {
					_csrf: csrf,
					codeName: "newsletter",
					displayName: "Newsletter",
					text: "Yes please",
				})
			).status,
		).toBe(303);
		expect(
			(
				await b.post("/admin/consents/newsletter/edit", {
					_csrf: csrf,
					"displayName-newsletter": "News",
					text: "Updated",
				})
			).status,
		).toBe(303);
		expect(await f.store.getConsent("newsletter")).toMatchObject({ displayName: "News", text: "Updated" });
	});
});

describe("contacts", () => {
	it("lists, searches and pages contacts", async () => {
		for (let i = 0; i < 30; i++)
			await f.store.createContact({ email: `p${i}@list.example`, firstName: `Person${i}` });
		const first = await (await b.get("/admin/contacts?q=list.example")).text();
		expect(first).toContain("30 contacts");
		expect(first).toContain("Page 1 of 2");
		const second = await (await b.get("/admin/contacts?q=list.example&page=2")).text();
		expect(second).toContain("Page 2 of 2");
		expect(await (await b.get("/admin/contacts?q=Person7")).text()).toContain("p7@list.example");
	});

	it("shows a contact's activities escaped, with only Intercom conversation links clickable", async () => {
		await f.store.addActivityType({ codeName: "pageview", displayName: "Page view" });
		const c = await f.store.createContact({
			email: "eve@example.com",
			firstName: "<b>Eve</b>",
			customFields: { coffee: "<script>x</script>" },
		});
		await f.store.agree(c.guid, "marketing");
		await seedActivity(f.store, {
			contactGuid: c.guid,
			siteId: 1,
			typeCodeName: "pageview",
			value: "<img src=x onerror=window.__x=1>",
			url: "javascript:alert(1)",
			comment:
				"https://app.intercom.com/a/apps/abc/inbox/inbox/conversation/42\nhttps://evil.example/a\njavascript:alert(2)",
		});
		const page = await (await b.get(`/admin/contacts/${c.guid}`)).text();
		expect(page).toContain("&lt;img src=x onerror=window.__x=1&gt;");
		expect(page).not.toContain("<img src=x");
		expect(page).not.toContain("<script>x</script>");
		expect(page).toContain("&lt;b&gt;Eve&lt;/b&gt;");
		expect(page).not.toMatch(/href="javascript:/i);
		expect(page).toContain('href="https://app.intercom.com/a/apps/abc/inbox/inbox/conversation/42"');
		expect(page).not.toContain('href="https://evil.example/a"');
		expect(page).toContain("agreed");
		expect((await b.get("/admin/contacts/not-a-guid")).status).toBe(404);
	});

	it("shows what was shared with Intercom, for the contact and the GUIDs merged into it", async () => {
		const ada = await f.store.createContact({ email: "ada.shared@example.com", firstName: "Ada" });
		const before = await (await b.get(`/admin/contacts/${ada.guid}`)).text();
		expect(before).toContain("Nothing recorded");
		const old = await f.store.createContact({ firstName: "Old" });
		const base = { siteId: 1, recipient: "intercom", channel: "page", policy: "consent" } as const;
		await f.store.recordDisclosure({ ...base, guid: old.guid, fields: ["user_id", "user_hash"] });
		await f.store.mergeContacts(old.guid, ada.guid);
		await f.store.recordDisclosure({
			...base,
			guid: ada.guid,
			fields: ["user_id", "user_hash", "email", "name"],
			consentCode: "<b>data</b>",
		});
		const page = await (await b.get(`/admin/contacts/${ada.guid}`)).text();
		const shared = page.slice(page.indexOf('id="shared-h"'), page.indexOf('id="activities-h"'));
		expect(shared).toContain("email, name, user_hash, user_id");
		expect(shared).toContain("consent &quot;&lt;b&gt;data&lt;/b&gt;&quot;");
		expect(shared).toContain("identifier only (no consent yet)");
		expect(shared).toContain("script in a page");
	});

	it("lists the privacy actions in Intercom and contact-sync disclosures on the contact's page", async () => {
		const ada = await f.store.createContact({ email: "ada.privacy@example.com", firstName: "Ada" });
		const none = await (await b.get(`/admin/contacts/${ada.guid}`)).text();
		expect(none).toContain("None: no withdrawal has stopped, scrubbed or deleted");
		await f.store.recordDisclosure({
			siteId: 1,
			guid: ada.guid,
			recipient: "intercom",
			channel: "api",
			policy: "always",
			fields: ["external_id", "email"],
		});
		await f.store.recordIntercomAction({
			siteId: 1,
			guid: ada.guid,
			action: "scrub-queued",
			actor: "visitor",
		});
		await f.store.recordIntercomAction({ siteId: 1, guid: ada.guid, action: "scrub-done", actor: "job" });
		const page = await (await b.get(`/admin/contacts/${ada.guid}`)).text();
		const shared = page.slice(page.indexOf('id="shared-h"'), page.indexOf('id="activities-h"'));
		expect(shared).toContain("contact sync (REST API)");
		const actions = shared.slice(shared.indexOf('id="privacy-h"'));
		expect(actions.indexOf("scrubbed in Intercom")).toBeGreaterThan(0);
		expect(actions.indexOf("scrub queued (consent withdrawn)")).toBeGreaterThan(
			actions.indexOf("scrubbed in Intercom"),
		);
		// The audit page of the site shows them too, naming the contact by its GUID's hash only.
		const audit = await (await b.get("/admin/sites/default/audit")).text();
		expect(audit).toContain("scrubbed in Intercom");
		expect(audit).not.toContain(ada.guid);
	});
});

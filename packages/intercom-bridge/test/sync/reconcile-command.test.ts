/**
 * `intercom-bridge sync reconcile` (decision 0032) on PGlite and PostgreSQL against the emulator,
 * the CLI run in-process on the test's store, Intercom being the emulator over HTTP: exit 0 without differences, 1 with them (and what
 * to do), 2 for bad usage; `--json` is one document; `--fix` sends the missing and changed
 * contacts again and reports zero differences even while Intercom's search lags behind, and
 * leaves an unexpected person in Intercom alone.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { WithStore } from "../../src/cli/cli-context.ts";
import { runCli } from "../../src/cli/main.ts";
import type { CliIo } from "../../src/cli/output.ts";
import type { Store } from "../../src/store/create-store.ts";
import type { ReconcileSiteResult } from "../../src/sync/reconcile-site.ts";
import { createIntercomEmulator, type EmulatorServer } from "../../src/testing/index.ts";
import { TOKEN } from "../faults/fault-env.ts";
import { pgliteFactory, postgresFactory } from "../harness/databases.ts";
import { waitFor } from "../harness/wait-for.ts";

describe.each([pgliteFactory, postgresFactory])("sync reconcile on $kind", (factory) => {
	let emulator: ReturnType<typeof createIntercomEmulator>;
	let store: Store;
	let server: EmulatorServer;

	/** The CLI on this test's store and the emulator; its exit code and output. */
	async function cli(args: string[], env: Record<string, string> = {}) {
		const out: string[] = [];
		const err: string[] = [];
		const io: CliIo = {
			stdout: (t) => out.push(t),
			stderr: (t) => err.push(t),
			readStdin: async () => "",
			env: { USER: "tester", LOG_LEVEL: "silent", ...env },
		};
		const withStore: WithStore = (fn) => fn(store);
		const code = await runCli(args, io, { endpoints: (r) => emulator.endpoints(r), withStore });
		return { code, stdout: out.join("\n"), stderr: err.join("\n") };
	}

	async function syncingSite() {
		const site = await store.requireSite("default");
		for (const [k, v] of Object.entries({
			sendContactData: "always",
			accessToken: TOKEN,
			syncContacts: "true",
		}))
			await store.setSetting(site.id, k, v);
		return site;
	}

	beforeEach(async () => {
		// New people stay out of search for a minute, as Intercom's index lags (minutes there).
		emulator = createIntercomEmulator({ tokens: [TOKEN], searchIndexDelayMs: 60_000 });
		// The CLI calls Intercom over HTTP, as it would the real one.
		server = await emulator.listen();
		store = await factory.ready();
	});
	afterEach(async () => {
		await server.close();
		await store.close();
	});

	it("exits 0 when Intercom matches, 1 with the differences listed, 2 on bad usage", async () => {
		const site = await syncingSite();
		const ada = await store.createContact({ email: "ada@example.com", firstName: "Ada" });
		emulator.seedContact({ role: "user", external_id: ada.guid, email: "ada@example.com", name: "Ada" });
		const same = await cli(["sync", "reconcile", "--site", "default"]);
		expect(same).toMatchObject({ code: 0, stderr: "" });
		expect(same.stdout).toMatch(/missing in Intercom: +0/);

		const grace = await store.createContact({ email: "grace@example.com", firstName: "Grace" });
		emulator.seedContact({ role: "user", external_id: "not-ours", email: "s@example.com" });
		const differ = await cli(["sync", "reconcile", "--site", "default"]);
		expect(differ.code).toBe(1);
		expect(differ.stdout).toMatch(/missing in Intercom: +1/);
		expect(differ.stdout).toContain(grace.guid);
		expect(differ.stdout).toMatch(/unexpected in Intercom: +1/);
		expect(differ.stdout).toContain("never deleted or merged automatically");
		expect(differ.stderr).toContain("2 difference(s) with Intercom.");
		expect(differ.stderr).toContain("--fix");

		const json = await cli(["sync", "reconcile", "--site", "default", "--json"]);
		expect(json.code).toBe(1);
		const doc = JSON.parse(json.stdout) as ReconcileSiteResult;
		expect(doc).toEqual({
			site: "default",
			report: {
				siteId: site.id,
				eligible: 2,
				intercomUsers: 2,
				missing: [grace.guid],
				unexpected: [{ externalId: "not-ours", intercomId: expect.any(String), reason: "unknown" }],
				mismatched: [],
				duplicates: [],
				differences: 2,
			},
		});

		expect((await cli(["sync", "reconcile"])).code).toBe(2);
		expect((await cli(["sync", "reconcile", "--site", "default", "--bogus"])).code).toBe(2);
		const unknown = await cli(["sync", "reconcile", "--site", "nope"]);
		expect(unknown.code).toBe(1);
		expect(unknown.stderr).toContain('No site "nope"');
		await store.clearSetting(site.id, "accessToken");
		const noToken = await cli(["sync", "reconcile", "--site", "default"]);
		expect(noToken.code).toBe(1);
		expect(noToken.stderr).toContain("no Intercom access token");
	});

	it("--fix sends the missing and changed contacts with the mapped attributes; no difference after", async () => {
		await syncingSite();
		const ada = await store.createContact({ email: "ada@example.com", firstName: "Ada" });
		const grace = await store.createContact({
			email: "grace@example.com",
			firstName: "Grace",
			customFields: { plan: "pro" },
		});
		await store.createContact({});
		emulator.seedContact({ role: "user", external_id: ada.guid, email: "ada@example.com", name: "Old" });
		const env = {
			INTERCOM_BRIDGE_DATA_ATTRIBUTES: JSON.stringify({
				"customFields.plan": { attribute: "plan", type: "string" },
			}),
		};
		const fixed = await cli(["sync", "reconcile", "--site", "default", "--fix", "--json"], env);
		expect(fixed.stderr).toBe("");
		expect(fixed.code).toBe(0);
		const doc = JSON.parse(fixed.stdout) as ReconcileSiteResult;
		expect(doc.report).toMatchObject({
			missing: [grace.guid],
			mismatched: [expect.objectContaining({ guid: ada.guid, field: "name" })],
			differences: 2,
		});
		expect(doc.fix).toMatchObject({ skipped: [], failed: [], notAttempted: 0 });
		expect(doc.fix?.sent.sort()).toEqual([ada.guid, grace.guid].sort());
		// Search does not show Grace yet; the fix read her by external_id.
		expect(doc.fix?.after).toMatchObject({ eligible: 2, differences: 0 });
		const people = emulator.contacts();
		expect(people).toHaveLength(2);
		expect(people.find((p) => p.external_id === ada.guid)?.name).toBe("Ada");
		expect(people.find((p) => p.external_id === grace.guid)?.custom_attributes).toEqual({ plan: "pro" });
		const audit = await store.listAudit((await store.requireSite("default")).id);
		expect(audit).toContainEqual(expect.objectContaining({ key: "reconcile", action: "reconcile-fix" }));

		// An unexpected person is only reported: still there after a fix, and the exit code says so.
		// Search still lags for Grace, so she is sent again: an update, never a second person.
		const stranger = emulator.seedContact({ role: "user", external_id: "not-ours", email: "s@example.com" });
		const again = await cli(["sync", "reconcile", "--site", "default", "--fix"], env);
		expect(again.code).toBe(1);
		expect(again.stdout).toContain("Fix: sent 1 contact(s) again");
		expect(again.stdout).toContain("never deleted or merged automatically");
		expect(again.stderr).toContain("1 difference(s) with Intercom remain");
		expect(emulator.contacts()).toHaveLength(3);
		expect(emulator.contacts().some((p) => p.id === stranger.id)).toBe(true);
	});

	it("--fix through 429s, 5xx and timeouts: runs again until no difference, never a duplicate", async () => {
		await syncingSite();
		const guids: string[] = [];
		for (let i = 0; i < 6; i++)
			guids.push((await store.createContact({ email: `f${i}@example.com`, firstName: `F${i}` })).guid);
		emulator.inject({ kind: "rate_limit", path: "/contacts", times: 2 });
		emulator.inject({ kind: "status", status: 503, path: "/contacts", times: 3 });
		emulator.inject({ kind: "timeout", ms: 200, path: "/contacts", times: 2 });
		// A create that met a fault is not repeated within the call: the run stops (exit 1) and the
		// next finds what the last one sent by external_id and upserts, as an operator would rerun it.
		const codes: number[] = [];
		const done = await waitFor(
			async () => {
				const run = await cli(["sync", "reconcile", "--site", "default", "--fix", "--json"]);
				codes.push(run.code);
				return run.code === 0 ? run : null;
			},
			{ deadlineMs: 90_000, intervalMs: 100, describe: () => `a fix with exit 0 (exit codes ${codes})` },
		);
		expect((JSON.parse(done.stdout) as ReconcileSiteResult).fix?.after.differences).toBe(0);
		const faulted = emulator.requests.filter((r) => r.status === 429 || r.status >= 500 || r.status === 408);
		expect(faulted.length).toBeGreaterThan(0);
		const ids = emulator.contacts().map((c) => c.external_id);
		expect(ids.sort()).toEqual(guids.sort());
	}, 120_000);
});

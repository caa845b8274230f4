import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createIntercomEmulator } from "./create-intercom-emulator.ts";

let dir: string;
let file: string;

beforeEach(async () => {
	dir = await mkdtemp(join(tmpdir(), "ib-emulator-state-"));
	file = join(dir, "nested", "emulator.json");
});
afterEach(async () => {
	await rm(dir, { recursive: true, force: true });
});

const ping = (emulator: ReturnType<typeof createIntercomEmulator>, settings: Record<string, unknown>) =>
	emulator.fetch(`${emulator.endpoints().messenger}/messenger/web/ping`, {
		method: "POST",
		headers: { "Content-Type": "application/json" },
		body: JSON.stringify({ kind: "boot", app_id: "app1", settings: { app_id: "app1", ...settings } }),
	});

describe("emulator state file", () => {
	it("keeps contacts, conversations, visitors and counters across a restart", async () => {
		const first = createIntercomEmulator({ tokens: ["t"], apps: [{ appId: "app1" }], stateFile: file });
		expect((await ping(first, { user_id: "guid-1", name: "Ada" })).status).toBe(200);
		const [conversation] = first.seedConversations("guid-1", 1);
		await first.flush();
		// Written atomically: only the file itself is left, no temporary file beside it.
		expect(await readdir(join(dir, "nested"))).toEqual(["emulator.json"]);

		const second = createIntercomEmulator({ tokens: ["t"], apps: [{ appId: "app1" }], stateFile: file });
		expect(second.contacts()).toEqual([expect.objectContaining({ external_id: "guid-1", name: "Ada" })]);
		expect(second.messengerBoots).toEqual([expect.objectContaining({ userId: "guid-1", accepted: true })]);
		const res = await second.fetch(`${second.endpoints().api}/conversations/${conversation?.id}`, {
			headers: { Authorization: "Bearer t" },
		});
		expect(res.status).toBe(200);
		// Ids go on where they stopped, so a new conversation never takes an old one's link.
		const [next] = second.seedConversations("guid-1", 1);
		expect(Number(next?.id)).toBe(Number(conversation?.id) + 1);
	});

	it("keeps only the latest boot of each visitor", async () => {
		const first = createIntercomEmulator({ apps: [{ appId: "app1" }], stateFile: file });
		for (const name of ["A", "B", "C"]) await ping(first, { user_id: "guid-1", name });
		await ping(first, { user_id: "guid-2" });
		await first.flush();
		const saved = JSON.parse(await readFile(file, "utf8")) as {
			messengerBoots: { userId: string; name?: string }[];
		};
		expect(saved.messengerBoots.map((b) => [b.userId, b.name])).toEqual([
			["guid-1", "C"],
			["guid-2", undefined],
		]);
	});

	it("starts empty without a file, and refuses a broken one with a message that says the fix", async () => {
		expect(createIntercomEmulator({ stateFile: file }).contacts()).toEqual([]);
		await writeFile(join(dir, "broken.json"), "{not json");
		expect(() => createIntercomEmulator({ stateFile: join(dir, "broken.json") })).toThrow(
			/Delete it to start/,
		);
		await writeFile(join(dir, "future.json"), JSON.stringify({ version: 99 }));
		expect(() => createIntercomEmulator({ stateFile: join(dir, "future.json") })).toThrow(/version 99/);
	});
});

describe("emulator inbox page", () => {
	it("shows a conversation as escaped HTML at the inbox link the bridge writes", async () => {
		const emulator = createIntercomEmulator({ apps: [{ appId: "app1" }] });
		emulator.seedContact({
			role: "user",
			external_id: "guid-1",
			name: "<img src=x onerror=alert(1)>",
			email: "a@example.com",
		});
		const [conversation] = emulator.seedConversations("guid-1", 1, {
			body: "<p>Hi <script>alert(2)</script> & bye</p>",
		});
		const res = await emulator.fetch(emulator.inboxUrl(conversation?.id ?? ""));
		expect(res.status).toBe(200);
		expect(res.headers.get("content-type")).toContain("text/html");
		const html = await res.text();
		expect(html).toContain(`<h1>Conversation #${conversation?.id}</h1>`);
		expect(html).toContain("Intercom emulator");
		expect(html).toContain("&#60;img src=x onerror=alert(1)&#62;");
		expect(html).toContain("a@example.com");
		expect(html).not.toContain("<img");
		expect(html).not.toContain("<script");
		expect(html).toContain("Answer 2 from the customer.");
	});

	it("answers 404 pages for unknown conversations and apps", async () => {
		const emulator = createIntercomEmulator({ apps: [{ appId: "app1" }] });
		const missing = await emulator.fetch(emulator.inboxUrl("999"));
		expect(missing.status).toBe(404);
		expect(await missing.text()).toContain("no conversation <code>999</code>");
		const app = await emulator.fetch(`${emulator.endpoints().app}/a/apps/%3Cb%3E/inbox/inbox/conversation/1`);
		expect(app.status).toBe(404);
		expect(await app.text()).toContain("&#60;b&#62;");
	});
});

/**
 * The emulator of the backfill bench in its own process, so that its CPU (routing, JSON, the
 * rate limiter) does not run on the backfill's event loop. Serves `emulator.fetch` over HTTP and
 * talks to its parent over IPC: `{ url }` once listening; on `{ type: "stats" }` the answers to
 * `/contacts` requests (`[at, status]`), the people and their distinct external ids. Every create
 * or update whose body names an email starting with `live` is reported at once as
 * `{ type: "arrived", email, at }`: the live-sync latency ends there.
 *
 * Environment: BENCH_EMULATOR_TOKEN, BENCH_EMULATOR_APP_ID, BENCH_EMULATOR_PER_MINUTE.
 */
import { serve } from "@hono/node-server";
import { createIntercomEmulator } from "../src/testing/index.ts";

const send = (message: unknown) => process.send?.(message);
const emulator = createIntercomEmulator({
	tokens: [process.env.BENCH_EMULATOR_TOKEN ?? "tok_bench"],
	apps: [{ appId: process.env.BENCH_EMULATOR_APP_ID ?? "benchapp" }],
	rateLimitPerMinute: Number(process.env.BENCH_EMULATOR_PER_MINUTE ?? 10_000),
});
const CONTACT_WRITE = /\/contacts(\/[^/]+)?$/;

async function handle(request: Request): Promise<Response> {
	let live: string | undefined;
	if (
		(request.method === "POST" || request.method === "PUT") &&
		CONTACT_WRITE.test(new URL(request.url).pathname)
	) {
		const text = await request.clone().text();
		if (text.includes('"live')) live = (JSON.parse(text) as { email?: string }).email;
	}
	const response = await emulator.fetch(request);
	if (live && response.status === 200) send({ type: "arrived", email: live, at: Date.now() });
	return response;
}

const server = serve({ fetch: handle, port: 0, hostname: "127.0.0.1" }, (info) =>
	send({ type: "listening", url: `http://127.0.0.1:${info.port}` }),
);
process.on("message", (message: { type?: string }) => {
	if (message?.type === "stats") {
		const answers = emulator.requests
			.filter((r) => r.path.startsWith("/contacts"))
			.map((r) => [r.at, r.status]);
		const people = emulator.contacts();
		send({
			type: "stats",
			answers,
			people: people.length,
			externalIds: new Set(people.map((c) => c.external_id)).size,
		});
	} else if (message?.type === "close") {
		server.close(() => process.exit(0));
	}
});
process.on("disconnect", () => process.exit(0));

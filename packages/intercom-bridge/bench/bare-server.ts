/**
 * The bare database process the service's memory and start-up are compared with (bench/footprint.ts):
 * node:http and the database driver, nothing else. `BARE_DATA_DIR` opens PGlite on that directory
 * (with PGlite's defaults, as the store opens it); `DATABASE_URL`
 * a node-postgres pool of the store's size. `GET /healthz` answers 200 after `select 1`;
 * `POST …/updatecontact` checks the API key and runs the one UPDATE the webhook stands for.
 * Listens on `PORT` of 127.0.0.1. Run as its own process: `node bench/bare-server.ts`.
 */
import { createServer } from "node:http";

const UPDATE = "update contacts set first_name = $1, notes = $2, updated_at = now() where guid = $3";

type Query = (text: string, params?: unknown[]) => Promise<unknown>;

async function open(): Promise<Query> {
	const dataDir = process.env.BARE_DATA_DIR;
	if (dataDir) {
		const { PGlite } = await import("@electric-sql/pglite");
		const db = await PGlite.create({ dataDir });
		return (text, params) => db.query(text, params);
	}
	const { default: pg } = await import("pg");
	const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
	pool.on("error", () => {});
	return (text, params) => pool.query(text, params);
}

const query = await open();
const apiKey = process.env.BARE_API_KEY ?? "";
const server = createServer(async (req, res) => {
	const chunks: Buffer[] = [];
	for await (const chunk of req) chunks.push(chunk as Buffer);
	try {
		if (req.url === "/healthz") {
			await query("select 1");
			return res.writeHead(200, { "content-type": "application/json" }).end('{"status":"ok"}');
		}
		if (req.headers["x-api-key"] !== apiKey) return res.writeHead(401).end();
		const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, string>;
		await query(UPDATE, [body.ContactFirstName, body.ContactNotes, body.ContactGUID]);
		res.writeHead(200, { "content-type": "application/json" }).end('{"status":"updated"}');
	} catch {
		res.writeHead(503).end();
	}
});
server.listen(Number(process.env.PORT), "127.0.0.1");

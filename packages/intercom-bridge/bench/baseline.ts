/**
 * The practical ceiling the bridge is compared with: a bare node:http handler that reads the body,
 * checks the API key, and runs the one UPDATE (update contact) or INSERT (log activity) through a
 * node-postgres pool of the same size. No framework, no transaction, no dedup, no job.
 */
import { createServer, type Server, type ServerResponse } from "node:http";
import pg from "pg";

/** Starts the baseline on a free loopback port. */
export async function startBaseline(input: {
	url: string;
	apiKey: string;
	siteId: number;
	typeId: number;
}): Promise<{ server: Server; port: number; close(): Promise<void> }> {
	const pool = new pg.Pool({ connectionString: input.url, max: 10 });
	pool.on("error", () => {});
	const answer = (res: ServerResponse, status: number, body: unknown) => {
		res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
	};
	const server = createServer(async (req, res) => {
		const chunks: Buffer[] = [];
		for await (const chunk of req) chunks.push(chunk as Buffer);
		if (req.headers["x-api-key"] !== input.apiKey) return answer(res, 401, { error: "unauthorized" });
		try {
			const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, string>;
			if (req.url?.endsWith("/updatecontact")) {
				await pool.query(
					"update contacts set first_name = $1, notes = $2, updated_at = now() where guid = $3",
					[body.ContactFirstName, body.ContactNotes, body.ContactGUID],
				);
				return answer(res, 200, { status: "updated" });
			}
			const { rows } = await pool.query(
				"insert into activities (contact_guid, site_id, type_id, title, value, origin) values ($1, $2, $3, $4, $5, 'intercom-series') returning id",
				[
					body.ContactGUID,
					input.siteId,
					input.typeId,
					`Page visit - ${body.ActivityValue}`,
					body.ActivityValue,
				],
			);
			return answer(res, 200, { status: "logged", activityId: rows[0]?.id });
		} catch {
			return answer(res, 503, { error: "unavailable" });
		}
	});
	await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
	const address = server.address();
	const port = typeof address === "object" && address ? address.port : 0;
	return {
		server,
		port,
		close: async () => {
			await new Promise<void>((resolve) => server.close(() => resolve()));
			await pool.end();
		},
	};
}

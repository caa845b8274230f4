/**
 * Intercom's OAuth for public apps (docs/intercom.md §4): the authorize page on the app host
 * (`GET /oauth?client_id&state&redirect_uri`, a page with an Authorize button) and the token
 * exchange on the API host (`POST /auth/eagle/token`, form or JSON). Intercom documents the token
 * endpoint on the global host (`https://api.intercom.io/auth/eagle/token`, the emulator's root and
 * `/us`); it answers under `/eu` and `/au` too, for clients configured to use a regional host.
 * Codes are single-use and expire after 5 minutes; issued tokens never expire, are accepted by the
 * REST API and belong to the workspace the admin authorized (`GET /me` answers for it).
 */
import { Hono } from "hono";
import { type EmulatorContext, primaryApp } from "./emulator-context.ts";
import { randomToken } from "./emulator-state.ts";
import { errorResponse } from "./intercom-error.ts";

/** How long an authorization code stays valid ("about 5 minutes"). */
export const CODE_TTL_MS = 5 * 60_000;

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

function page(title: string, body: string, status = 200): Response {
	const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font:16px system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem}button{font-size:1rem;padding:.6rem 1.4rem;margin-right:.5rem;border-radius:6px;border:1px solid #1f73b7;cursor:pointer}#authorize{background:#1f73b7;color:#fff}</style></head>
<body><h1>${escapeHtml(title)}</h1>${body}</body></html>`;
	return new Response(html, { status, headers: { "Content-Type": "text/html; charset=utf-8" } });
}

function allowedRedirect(
	ctx: EmulatorContext,
	clientId: string,
	redirectUri: string | undefined,
): string | Response {
	const client = ctx.options.oauthClients.find((c) => c.clientId === clientId);
	if (!client)
		return page("Unknown app", `<p>No app with client_id <code>${escapeHtml(clientId)}</code>.</p>`, 400);
	const registered = client.redirectUris ?? [];
	const uri = redirectUri || registered[0];
	if (!uri) return page("Missing redirect_uri", "<p>This app has no registered redirect URL.</p>", 400);
	const httpUrl = URL.canParse(uri) && /^https?:$/.test(new URL(uri).protocol);
	if (!httpUrl || (registered.length > 0 && !registered.includes(uri))) {
		return page(
			"Redirect URL not allowed",
			`<p><code>${escapeHtml(uri)}</code> is not registered for this app.</p>`,
			400,
		);
	}
	return uri;
}

/** `GET /oauth` and the form it posts to, mounted on a region's app base. */
export function oauthAuthorizeRoutes(ctx: EmulatorContext): Hono {
	const app = new Hono();
	app.get("/oauth", (c) => {
		const clientId = c.req.query("client_id") ?? "";
		const state = c.req.query("state") ?? "";
		const uri = allowedRedirect(ctx, clientId, c.req.query("redirect_uri"));
		if (uri instanceof Response) return uri;
		const hidden = (name: string, value: string) =>
			`<input type="hidden" name="${name}" value="${escapeHtml(value)}">`;
		// As on Intercom, an admin of several workspaces picks the one to install the app in.
		const apps = ctx.options.apps;
		const choice =
			apps.length > 1
				? `<p><label for="app_id">Workspace</label> <select id="app_id" name="app_id">${apps
						.map(
							(a) =>
								`<option value="${escapeHtml(a.appId)}">${escapeHtml(a.appId)} (${(a.region ?? "us").toUpperCase()})</option>`,
						)
						.join("")}</select></p>`
				: hidden("app_id", apps[0]?.appId ?? "");
		return page(
			"Authorize access to your Intercom workspace",
			`<p>The app <strong>${escapeHtml(clientId)}</strong> asks for access to ${apps.length > 1 ? "one of your workspaces" : `workspace <strong>${escapeHtml(apps[0]?.appId ?? "")}</strong>`} (Intercom emulator).</p>
<form method="post" action="oauth/authorize">${hidden("client_id", clientId)}${hidden("state", state)}${hidden("redirect_uri", uri)}${choice}
<button id="authorize" type="submit" name="decision" value="authorize">Authorize</button>
<button id="deny" type="submit" name="decision" value="deny">Cancel</button></form>`,
		);
	});
	app.post("/oauth/authorize", async (c) => {
		const form = await c.req.parseBody();
		const field = (k: string) => (typeof form[k] === "string" ? (form[k] as string) : "");
		const uri = allowedRedirect(ctx, field("client_id"), field("redirect_uri"));
		if (uri instanceof Response) return uri;
		const target = new URL(uri);
		if (field("decision") === "deny") {
			target.searchParams.set("error", "access_denied");
		} else {
			const app = ctx.options.apps.find((a) => a.appId === field("app_id")) ?? primaryApp(ctx);
			const code = randomToken("code_");
			ctx.state.codes.set(code, {
				clientId: field("client_id"),
				redirectUri: uri,
				expiresAt: ctx.options.now() + CODE_TTL_MS,
				appId: app.appId,
			});
			target.searchParams.set("code", code);
		}
		if (field("state")) target.searchParams.set("state", field("state"));
		return c.redirect(target.toString(), 302);
	});
	return app;
}

async function readParams(request: Request): Promise<Record<string, string>> {
	const type = request.headers.get("content-type") ?? "";
	const text = await request.text();
	if (type.includes("application/json")) {
		try {
			const parsed: unknown = JSON.parse(text);
			if (typeof parsed !== "object" || parsed === null) return {};
			return Object.fromEntries(
				Object.entries(parsed).filter((e): e is [string, string] => typeof e[1] === "string"),
			);
		} catch {
			return {};
		}
	}
	return Object.fromEntries(new URLSearchParams(text));
}

/** `POST /auth/eagle/token`, mounted on a region's API base (outside the bearer guard). */
export function oauthTokenRoutes(ctx: EmulatorContext): Hono {
	const app = new Hono();
	app.post("/auth/eagle/token", async (c) => {
		const { code, client_id: clientId, client_secret: clientSecret } = await readParams(c.req.raw);
		if (!code || !clientId || !clientSecret) {
			return errorResponse(400, "parameter_missing", "code, client_id and client_secret are required");
		}
		const client = ctx.options.oauthClients.find((x) => x.clientId === clientId);
		if (!client || client.clientSecret !== clientSecret) {
			return errorResponse(401, "unauthorized", "Invalid client_id or client_secret");
		}
		const grant = ctx.state.codes.get(code);
		// Single use: a code is gone once presented, whether or not the exchange succeeds.
		ctx.state.codes.delete(code);
		if (!grant || grant.clientId !== clientId || grant.expiresAt < ctx.options.now()) {
			return errorResponse(401, "unauthorized", "The authorization code is invalid or has expired");
		}
		const token = randomToken("tok_");
		ctx.state.tokens.add(token);
		ctx.state.tokenApps.set(token, grant.appId);
		return c.json({ token, access_token: token, token_type: "Bearer" });
	});
	return app;
}

/**
 * The session cookie: `__Host-ib_admin` on HTTPS (Secure, Path=/, no Domain: no sibling host can set
 * or read it), `ib_admin` on plain HTTP (development on localhost; the console warns). Always
 * HttpOnly and SameSite=Strict: the OAuth return, the one cross-site navigation that needs the
 * session, makes a same-site hop instead (see data-access-routes.ts).
 */
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { AdminDeps, AdminEnv } from "./admin-context.ts";
import { isHttps } from "./request-info.ts";

const NAME = "ib_admin";
const LOGIN_NAME = "ib_admin_login";

/** The session token from the request, or undefined. */
export function readSessionCookie(c: Context<AdminEnv>, deps: AdminDeps): string | undefined {
	return isHttps(c, deps) ? getCookie(c, NAME, "host") : getCookie(c, NAME);
}

/** Sets the session cookie. It lives as long as the browser (the server enforces the timeouts). */
export function writeSessionCookie(c: Context<AdminEnv>, deps: AdminDeps, token: string): void {
	if (isHttps(c, deps)) {
		setCookie(c, NAME, token, { prefix: "host", httpOnly: true, sameSite: "Strict" });
	} else {
		setCookie(c, NAME, token, { path: "/", httpOnly: true, sameSite: "Strict" });
	}
}

/** Removes the session cookie. */
export function clearSessionCookie(c: Context<AdminEnv>, deps: AdminDeps): void {
	if (isHttps(c, deps)) deleteCookie(c, NAME, { prefix: "host", httpOnly: true, sameSite: "Strict" });
	else deleteCookie(c, NAME, { path: "/", httpOnly: true, sameSite: "Strict" });
}

/** The sign-in form's anti-forgery cookie (see csrf.ts). */
export function readLoginCookie(c: Context<AdminEnv>, deps: AdminDeps): string | undefined {
	return isHttps(c, deps) ? getCookie(c, LOGIN_NAME, "host") : getCookie(c, LOGIN_NAME);
}

export function writeLoginCookie(c: Context<AdminEnv>, deps: AdminDeps, value: string): void {
	const options = { httpOnly: true, sameSite: "Strict", maxAge: 3600 } as const;
	if (isHttps(c, deps)) setCookie(c, LOGIN_NAME, value, { ...options, prefix: "host" });
	else setCookie(c, LOGIN_NAME, value, { ...options, path: "/" });
}

export function clearLoginCookie(c: Context<AdminEnv>, deps: AdminDeps): void {
	if (isHttps(c, deps)) deleteCookie(c, LOGIN_NAME, { prefix: "host", httpOnly: true, sameSite: "Strict" });
	else deleteCookie(c, LOGIN_NAME, { path: "/", httpOnly: true, sameSite: "Strict" });
}

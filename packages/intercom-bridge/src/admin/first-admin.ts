/** First start: when no administrator exists, create one with a random password shown once. */
import type { Store } from "../store/create-store.ts";

/**
 * Creates `admin@intercom-bridge.local` (role `modify` on every site) when there is no administrator, and
 * prints its generated password once. Returns the email, or null when administrators exist.
 * Two instances starting together may race; the loser's insert conflicts and is ignored.
 */
export async function ensureFirstAdmin(
	store: Store,
	print: (line: string) => void,
	email = "admin@intercom-bridge.local",
): Promise<string | null> {
	if ((await store.countAdminUsers()) > 0) return null;
	try {
		const { generatedPassword } = await store.addAdminUser({ email, role: "modify" });
		print(`Created the first administrator: ${email}`);
		print(`  password: ${generatedPassword}   (shown only now: keep it somewhere safe)`);
		return email;
	} catch (err) {
		if ((err as { code?: string }).code === "CONFLICT") return null;
		throw err;
	}
}

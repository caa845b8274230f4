/**
 * The two edits the console needs that the store does not offer yet: renaming an activity type
 * and editing a consent's display name and text. Code names never change: webhooks and settings
 * refer to them.
 */
import { eq } from "drizzle-orm";
import { NotFoundError, ValidationError } from "../errors.ts";
import { checkDisplayName } from "../store/code-name.ts";
import type { Store } from "../store/create-store.ts";
import { activityTypes, consents } from "../store/schema.ts";
import { hasControlCharacters } from "../text/has-control-characters.ts";

/** Sets an activity type's display name. @throws ValidationError, NotFoundError */
export async function renameActivityType(store: Store, codeName: string, displayName: string): Promise<void> {
	const name = checkDisplayName(displayName, "activity type");
	const rows = await store.db
		.update(activityTypes)
		.set({ displayName: name })
		.where(eq(activityTypes.codeName, codeName))
		.returning({ id: activityTypes.id });
	if (!rows[0]) throw new NotFoundError(`No activity type "${codeName}".`);
}

/** Sets a consent's display name and text. @throws ValidationError, NotFoundError */
export async function updateConsent(
	store: Store,
	codeName: string,
	input: { displayName: string; text: string },
): Promise<void> {
	const name = checkDisplayName(input.displayName, "consent");
	// The text is shown to visitors; line breaks are fine, other control characters are not.
	const text = input.text.trim().slice(0, 10_000);
	if (hasControlCharacters(text.replace(/[\r\n\t]/g, " "))) {
		throw new ValidationError("The consent text must not contain control characters.", "text");
	}
	const rows = await store.db
		.update(consents)
		.set({ displayName: name, text })
		.where(eq(consents.codeName, codeName))
		.returning({ id: consents.id });
	if (!rows[0]) throw new NotFoundError(`No consent "${codeName}".`);
}

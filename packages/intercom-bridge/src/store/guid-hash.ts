/**
 * How the records that must outlive a contact (erasure tombstones, the disclosure log) name it:
 * the SHA-256 of its GUID in lowercase, hex. Neither keeps the GUID itself.
 */
import { createHash } from "node:crypto";

/** SHA-256 (hex) of a contact GUID, case-insensitively. */
export const guidHash = (guid: string): string =>
	createHash("sha256").update(guid.toLowerCase()).digest("hex");

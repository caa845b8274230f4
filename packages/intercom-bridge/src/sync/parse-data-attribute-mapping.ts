/**
 * The data attribute mapping of contact sync (decision 0030) as `intercom-bridge serve` takes it:
 * JSON in INTERCOM_BRIDGE_DATA_ATTRIBUTES. In `sync/` beside the mapping's check: the service (job
 * runner and console) and the CLI's `sync` commands all read it.
 */
import { ConfigError } from "../errors.ts";
import { checkDataAttributeMapping, type DataAttributeMapping } from "../sync/ensure-data-attributes.ts";

/**
 * Parses INTERCOM_BRIDGE_DATA_ATTRIBUTES: a JSON object of contact field → `{ attribute, type,
 * description? }`; unset or blank is no mapping. @throws ConfigError naming what is wrong.
 */
export function parseDataAttributeMapping(raw: string | undefined): DataAttributeMapping | undefined {
	if (raw === undefined || raw.trim() === "") return undefined;
	let parsed: unknown;
	try {
		parsed = JSON.parse(raw);
	} catch {
		throw new ConfigError(
			'INTERCOM_BRIDGE_DATA_ATTRIBUTES must be JSON, e.g. {"customFields.plan":{"attribute":"plan","type":"string"}}.',
		);
	}
	if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
		throw new ConfigError(
			'INTERCOM_BRIDGE_DATA_ATTRIBUTES must be a JSON object of contact field → {"attribute","type"}.',
		);
	}
	const mapping = parsed as DataAttributeMapping;
	try {
		checkDataAttributeMapping(mapping);
	} catch (err) {
		throw new ConfigError(`INTERCOM_BRIDGE_DATA_ATTRIBUTES: ${(err as Error).message}`);
	}
	return mapping;
}

/** Ids from URLs and forms: only a well-formed UUID reaches a query (anything else is "not found", never a database error). */
/** As a JSON-schema pattern (ajv's `format: 'uuid'` also takes `urn:uuid:…`, which PostgreSQL refuses). */
export const UUID_PATTERN = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
const UUID = new RegExp(UUID_PATTERN);

export const isUuid = (value: string): boolean => UUID.test(value);

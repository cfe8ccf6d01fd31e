/**
 * Request and response schemas of the ten commands the app uses, from the §4 tables (and of
 * base_project_list, kept apart: see commands.ts), in one import for the client and its callers.
 *
 * Requests (requests.ts): required fields, String vs int (ints are whole numbers within Java's
 * int), and the 长度 column as a maximum counted in characters (code points). Closed value lists
 * the tables give for ints (gender, followType, certType, …), cstWill A–E and the documented time
 * formats are checked too. A failure is 1001 (missing, null or an empty required string) or 1002
 * (wrong type, too long, not an allowed value), with the field. The sandbox has its own tables.
 *
 * Responses (responses.ts): `{errcode, errmsg, content}`, the business fields in `content`.
 */
export * from './commands'
export * from './requests'
export * from './responses'

import { en } from 'zod/locales';
import type * as z from 'zod/mini';

/**
 * Parse options that word zod's own issues in English ("Invalid input: expected int, received string").
 * Classic `zod` installs this locale globally on import; `zod/mini` installs none, so an issue without a
 * message of ours would read only "Invalid input". Pass this wherever zod's wording can reach a reader
 * (an error, a log, a DLQ reason); our own messages (set in the schemas) still win.
 */
export const ENGLISH_MESSAGES: z.core.ParseContext<z.core.$ZodIssue> = { error: en().localeError };

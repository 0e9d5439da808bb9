import * as z from 'zod/mini';
import { SendRequestSchema } from './send-request';

/** Where the generated JSON Schema is committed, relative to the repository root. */
export const SEND_REQUEST_JSON_SCHEMA_FILE = 'shared/messages/schema/send-request.schema.json';

/**
 * The JSON Schema of the send request, generated from {@link SendRequestSchema}. Draft 4, because API
 * Gateway REST request validation models are draft 4; the input side (what callers send). Rules that
 * JSON Schema cannot say (unique postbacks, channel capabilities, text fit) are checked by the Lambda.
 */
export function sendRequestJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(SendRequestSchema, { target: 'draft-04', io: 'input' });
}

/** The committed file's exact text (two-space JSON, trailing newline). */
export function sendRequestJsonSchemaText(): string {
  return `${JSON.stringify(sendRequestJsonSchema(), null, 2)}\n`;
}

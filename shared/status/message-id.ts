import { createHash } from 'node:crypto';

/**
 * What a message id (the idempotency key or a generated id) may look like, checked where it enters:
 * the store's methods and `GET /messages/{id}`. DynamoDB allows 2048 bytes for a partition key;
 * the prefix leaves ample room below this bound.
 */
export const MESSAGE_ID_MAX_BYTES = 1024;

// Control characters make log lines and keys unreadable and never belong in an id.
// biome-ignore lint/suspicious/noControlCharactersInRegex: the point of the pattern is to find them.
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

/** Undefined when `value` is a usable id, else the reason (to follow the field name in an error). */
export function messageIdProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') return 'must be a string';
  if (value.length === 0) return 'must not be empty';
  if (Buffer.byteLength(value, 'utf8') > MESSAGE_ID_MAX_BYTES) {
    return `must be at most ${MESSAGE_ID_MAX_BYTES} bytes long`;
  }
  if (CONTROL_CHARACTERS.test(value)) return 'must not contain control characters';
  return undefined;
}

/**
 * The message id for an idempotency key that another caller already holds: the key in this caller's own
 * namespace (a short hash of the caller, then the key), so neither caller sees the other's message.
 */
export function scopedMessageId(caller: string, key: string): string {
  return `${createHash('sha256').update(caller).digest('hex').slice(0, 12)}.${key}`;
}

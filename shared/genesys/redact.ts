import type { HttpAnswer } from './classify-response';
import type { GenesysFailure } from './types';

const REDACTED = '[redacted]';
/** Shorter "secrets" (a test's `x`) would redact ordinary words. */
const MIN_SECRET_LENGTH = 4;
/** How deep a JSON error body is searched; Genesys' ErrorBody is two levels deep. */
const MAX_DEPTH = 8;

function wordsOf(secrets: readonly string[]): string[] {
  return secrets.filter((secret) => secret.length >= MIN_SECRET_LENGTH);
}

function redactText(text: string, words: readonly string[]): string {
  return words.reduce((out, word) => out.split(word).join(REDACTED), text);
}

function redactValue(value: unknown, words: readonly string[], depth: number): unknown {
  if (typeof value === 'string') return redactText(value, words);
  if (depth >= MAX_DEPTH || typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map((item) => redactValue(item, words, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[key] = redactValue(item, words, depth + 1);
  return out;
}

/**
 * A non-2xx answer with every known secret removed from its body and header values, *before* it is
 * classified: classification cuts long bodies, and a secret cut in half would escape a later redaction.
 * A 2xx answer is returned as it is (the token endpoint's answer carries the token we asked for).
 */
export function redactAnswer<A extends HttpAnswer>(answer: A, secrets: readonly string[]): A {
  const words = wordsOf(secrets);
  if (words.length === 0 || (answer.status >= 200 && answer.status < 300)) return answer;
  const redacted: A = { ...answer, data: redactValue(answer.data, words, 0) };
  if (answer.headers !== undefined) redacted.headers = redactValue(answer.headers, words, 0) as A['headers'];
  return redacted;
}

/**
 * Removes every known secret (token, client secret, Authorization value) from every text of a failure:
 * message, code, contextId, correlationId. A belt to the braces of {@link redactAnswer} and of never
 * passing axios errors on: a network error's message can still quote a header value.
 */
export function redactFailure<F extends GenesysFailure>(failure: F, secrets: readonly string[]): F {
  const words = wordsOf(secrets);
  if (words.length === 0) return failure;
  return { ...failure, error: redactValue(failure.error, words, 0) as F['error'] };
}

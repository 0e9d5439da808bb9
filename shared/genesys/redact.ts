import type { GenesysFailure } from './types';

const REDACTED = '[redacted]';

/**
 * Removes every known secret (token, client secret, Authorization value) from a failure's texts.
 * A belt to the braces of never passing axios errors on: a message can still quote a header value.
 */
export function redactFailure<F extends GenesysFailure>(failure: F, secrets: readonly string[]): F {
  const words = secrets.filter((secret) => secret.length >= 4);
  if (words.length === 0) return failure;
  const clean = (text: string): string => words.reduce((out, word) => out.split(word).join(REDACTED), text);
  const error = { ...failure.error, message: clean(failure.error.message) };
  if (error.code !== undefined) error.code = clean(error.code);
  return { ...failure, error };
}

/** Errors the delivery code raises for its callers; each maps to one HTTP answer (README "Answers"). */

/** The idempotency key was used before with another request body. → 409 */
export class IdempotencyConflictError extends Error {
  override name = 'IdempotencyConflictError';
  constructor(readonly messageId: string) {
    super(`idempotency key "${messageId}" was already used with a different request body`);
  }
}

/** A retryable fault of ours or of an AWS dependency: nothing was lost, the caller should retry. → 503 */
export class ServiceUnavailableError extends Error {
  override name = 'ServiceUnavailableError';
  constructor(
    message: string,
    readonly messageId: string,
    /** Seconds the caller should wait before retrying with the same idempotency key. */
    readonly retryAfterSeconds = 5,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

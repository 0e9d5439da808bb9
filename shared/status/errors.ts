/** A DynamoDB call failed. Keeps the AWS error name (`awsErrorName`) and the original error as `cause`. */
export class StatusStoreError extends Error {
  override name = 'StatusStoreError';
  readonly awsErrorName: string;
  /** True when the SDK marked the failure retryable (throttling, 5xx). */
  readonly retryable: boolean;

  constructor(operation: string, subject: string, cause: unknown) {
    const awsErrorName = cause instanceof Error ? cause.name : 'UnknownError';
    const detail = cause instanceof Error ? cause.message : String(cause);
    super(`DynamoDB ${operation} for ${subject} failed: ${awsErrorName}: ${detail}`, { cause });
    this.awsErrorName = awsErrorName;
    this.retryable = isRetryable(cause);
  }
}

/** A caller passed a value the store cannot write; the message names the field and the reason. */
export class StatusInputError extends Error {
  override name = 'StatusInputError';
  readonly field: string;

  constructor(field: string, reason: string) {
    super(`${field} ${reason}`);
    this.field = field;
  }
}

/** An operation that needs an existing send record (e.g. `note`) found none. */
export class MessageNotFoundError extends Error {
  override name = 'MessageNotFoundError';
  readonly messageId: string;

  constructor(messageId: string) {
    super(`no message with id "${messageId}"`);
    this.messageId = messageId;
  }
}

function isRetryable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { $retryable, $fault } = error as { $retryable?: unknown; $fault?: unknown };
  return $retryable !== undefined || $fault === 'server';
}

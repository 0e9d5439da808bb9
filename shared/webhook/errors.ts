/** Why a webhook signature was refused. Each reason has its own message; none echoes a secret or the header. */
export type SignatureFailure = 'missing-header' | 'malformed-header' | 'mismatch' | 'no-secret';

export class WebhookSignatureError extends Error {
  override name = 'WebhookSignatureError';
  constructor(
    readonly reason: SignatureFailure,
    message: string,
  ) {
    super(message);
  }
}

/** One problem in a notification body: where (dotted path, `(root)` for the whole body) and why. */
export interface ReceiptIssue {
  path: string;
  message: string;
}

/** A notification body that is not a Genesys shape this service knows. Safe to return to the caller. */
export class ReceiptParseError extends Error {
  override name = 'ReceiptParseError';
  constructor(
    /** What was being parsed, e.g. "Open Messaging notification". */
    readonly subject: string,
    readonly issues: readonly ReceiptIssue[],
  ) {
    super(
      `${subject} not understood: ${issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`,
    );
  }
}

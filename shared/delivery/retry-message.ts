import * as z from 'zod';

/**
 * What travels on the retry queue. The request itself stays in the status record (one copy, no size
 * limit worries); the message carries only what the retry policy needs.
 */
export const RetryMessageSchema = z.strictObject({
  messageId: z.string().min(1),
  /** The Genesys call this message asks for (2 = first retry; 1 when our pacer deferred the first call). */
  attempt: z.int().min(1).max(1000),
  firstAttemptAt: z.iso.datetime(),
  /** Not before this time: waits longer than SQS's 900 s come back early and are re-enqueued. */
  notBefore: z.iso.datetime(),
  /** The Genesys error that led here, for the DLQ and the "retries exhausted" record. */
  lastError: z.string().max(1000).optional(),
});

export type RetryMessage = z.infer<typeof RetryMessageSchema>;

/** SQS message attributes mirroring the body, for operators reading the queue or the DLQ. */
export function retryMessageAttributes(
  message: RetryMessage,
): Record<string, { DataType: 'String' | 'Number'; StringValue: string }> {
  return {
    attempt: { DataType: 'Number', StringValue: String(message.attempt) },
    firstAttemptAt: { DataType: 'String', StringValue: message.firstAttemptAt },
    notBefore: { DataType: 'String', StringValue: message.notBefore },
  };
}

import * as z from 'zod/mini';

/**
 * What travels on the retry queue. The request itself stays in the status record (one copy, no size
 * limit worries); the message carries only what the retry policy needs.
 */
export const RetryMessageSchema = z.strictObject({
  messageId: z.string().check(z.minLength(1)),
  /** The Genesys call this message asks for (2 = first retry; 1 when our pacer deferred the first call). */
  attempt: z.int().check(z.minimum(1), z.maximum(1000)),
  firstAttemptAt: z.iso.datetime(),
  /** Not before this time: waits longer than SQS's 900 s come back early and are re-enqueued. */
  notBefore: z.iso.datetime(),
  /** The Genesys error that led here, for the DLQ and the "retries exhausted" record. */
  lastError: z.optional(z.string().check(z.maxLength(1000))),
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

import { describe, expect, it } from 'vitest';
import type { DeliveryService } from '../../shared/delivery/delivery-service';
import { processRetryMessage } from '../../shared/delivery/process-retry-message';
import type { RetryQueue } from '../../shared/delivery/retry-queue';

/** A queue that only records dead letters; a poison message must never reach delivery or a requeue. */
function recordingQueue(): RetryQueue & { parked: { body: string; reason: string }[] } {
  const parked: { body: string; reason: string }[] = [];
  return {
    parked,
    enqueue: () => Promise.reject(new Error('a poison message must not be requeued')),
    deadLetter: async (body, reason) => {
      parked.push({ body, reason });
    },
  };
}

const noDelivery = {
  attempt: () => Promise.reject(new Error('a poison message must not be attempted')),
} as unknown as DeliveryService;

describe('processRetryMessage: unreadable messages', () => {
  it.each([
    [
      'a wrong type',
      '{"messageId":"m-1","attempt":"two","firstAttemptAt":"2026-11-25T10:00:00Z","notBefore":"2026-11-25T10:00:00Z"}',
      'attempt: Invalid input: expected number, received string',
    ],
    [
      'a missing field and a bad date',
      '{"messageId":"m-1","attempt":2,"firstAttemptAt":"yesterday"}',
      'firstAttemptAt: Invalid ISO datetime; notBefore: Invalid input: expected string, received undefined',
    ],
    ['an unknown field', '{"messageId":"m-1","attempt":2,"extra":1}', 'Unrecognized key: "extra"'],
  ])(
    'parks %s in the DLQ with a reason naming the field and the problem in words',
    async (_case, body, words) => {
      // Prepare
      const queue = recordingQueue();

      // Act
      const outcome = await processRetryMessage(body, {
        delivery: noDelivery,
        retryQueue: async () => queue,
      });

      // Assess
      expect(outcome).toEqual({ outcome: 'dead-lettered', reason: expect.stringContaining(words) });
      expect(queue.parked).toEqual([{ body, reason: expect.stringMatching(/^unreadable retry message: /) }]);
    },
  );
});

import type { SQSEvent } from 'aws-lambda';

/** An event a function does not take (item 9 of issue 14): named, never a TypeError from deep inside. */
export class InvalidEventError extends Error {
  override name = 'InvalidEventError';
  constructor(fn: string, expected: string, event: unknown) {
    super(`${fn} takes ${expected}; got ${describeEvent(event)}`);
  }
}

/** An SQS event-source batch: `Records` whose every entry came from SQS. */
export function isSqsEvent(event: unknown): event is SQSEvent {
  const records = (event as { Records?: unknown } | null)?.Records;
  return (
    Array.isArray(records) &&
    records.every((r) => (r as { eventSource?: unknown } | null)?.eventSource === 'aws:sqs')
  );
}

/** Records of an AWS event source (SQS, SNS, S3, DynamoDB streams…): never a send request. */
export function isRecordsEvent(event: unknown): boolean {
  const records = (event as { Records?: unknown } | null)?.Records;
  return (
    Array.isArray(records) && records.length > 0 && records.every((r) => typeof r === 'object' && r !== null)
  );
}

/** A short description of what arrived, for error messages: its type, or the event source of its records. */
export function describeEvent(event: unknown): string {
  if (event === null) return 'null';
  if (Array.isArray(event)) return `an array of ${event.length}`;
  if (typeof event !== 'object') return `a ${typeof event}`;
  const records = (event as { Records?: unknown }).Records;
  if (Array.isArray(records)) {
    const sources = [
      ...new Set(
        records.map((r) =>
          String(
            (r as { eventSource?: unknown; EventSource?: unknown } | null)?.eventSource ??
              (r as { EventSource?: unknown } | null)?.EventSource ??
              'unknown',
          ),
        ),
      ),
    ];
    return `an event with Records from ${sources.join(', ') || 'nowhere'}`;
  }
  if ('httpMethod' in event || 'requestContext' in event) return 'an API Gateway event';
  return 'an object that is none of these';
}

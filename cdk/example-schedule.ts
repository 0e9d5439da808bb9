import type { JsonSchema } from 'aws-cdk-lib/aws-apigateway';
import { GenesysMessagingPropsError } from './errors';
import type { ExampleScheduleProps } from './genesys-messaging-props';

/** EventBridge Scheduler's context attribute: the occurrence's scheduled time, the same on every retry of it. */
export const SCHEDULED_TIME = '<aws.scheduler.scheduled-time>';
/** What the scheduled time adds to a key, e.g. `-2026-12-01T09:00:00Z`. */
const SCHEDULED_TIME_SUFFIX_LENGTH = '-2026-12-01T09:00:00Z'.length;

/**
 * The schedule's input: the send request with an idempotency key per occurrence, so each occurrence is sent
 * once (Scheduler retries keep the key) and the next one is not mistaken for a duplicate. The base key is
 * checked against the send request schema now: a bad one would otherwise fail every run, quietly.
 */
export function exampleScheduleInput(example: ExampleScheduleProps, sendRequestSchema: JsonSchema): string {
  const request = example.request as unknown;
  if (typeof request !== 'object' || request === null || Array.isArray(request)) {
    throw new GenesysMessagingPropsError('exampleSchedule.request', 'must be a send request object');
  }
  const baseKey = example.request.idempotencyKey ?? 'example-schedule';
  const prop = 'exampleSchedule.request.idempotencyKey';
  if (typeof baseKey !== 'string' || baseKey === '') {
    throw new GenesysMessagingPropsError(prop, `must be a non-empty string, got ${JSON.stringify(baseKey)}`);
  }
  const keySchema = sendRequestSchema.properties?.idempotencyKey;
  const maxLength = keySchema?.maxLength;
  if (maxLength !== undefined && baseKey.length + SCHEDULED_TIME_SUFFIX_LENGTH > maxLength) {
    throw new GenesysMessagingPropsError(
      prop,
      `must be at most ${maxLength - SCHEDULED_TIME_SUFFIX_LENGTH} characters (the scheduled time is appended), ` +
        `got ${baseKey.length}`,
    );
  }
  const pattern = keySchema?.pattern;
  if (pattern !== undefined && !new RegExp(pattern).test(baseKey)) {
    throw new GenesysMessagingPropsError(prop, `must match ${pattern}, got "${baseKey}"`);
  }
  return JSON.stringify({ ...example.request, idempotencyKey: `${baseKey}-${SCHEDULED_TIME}` });
}

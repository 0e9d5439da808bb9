/**
 * Names the kind of an event a function was given, for the error a function answers when the event is
 * not one it takes (a trigger wired to the wrong function, a hand-made invoke): "got an SQS event" says
 * more than a TypeError from deep inside the handler.
 */
export function describeEventKind(event: unknown): string {
  if (event === null) return 'null';
  if (event === undefined) return 'no event';
  if (Array.isArray(event)) return `an array of ${event.length} item(s)`;
  if (typeof event !== 'object') return `a ${typeof event}`;
  const e = event as Record<string, unknown>;
  const records = Array.isArray(e.Records) ? (e.Records as unknown[]) : undefined;
  if (records !== undefined) {
    const first = records[0] as Record<string, unknown> | undefined;
    const source = String(first?.eventSource ?? first?.EventSource ?? '');
    if (source === 'aws:sqs') return 'an SQS event';
    if (source === 'aws:sns') return 'an SNS event';
    if (source === 'aws:s3') return 'an S3 event';
    if (source === 'aws:dynamodb') return 'a DynamoDB stream event';
    if (source === 'aws:kinesis') return 'a Kinesis event';
    return 'an event with Records';
  }
  if (typeof e.httpMethod === 'string') return `an API Gateway REST API event (${e.httpMethod})`;
  const http = (e.requestContext as { http?: { method?: unknown } } | undefined)?.http;
  if (e.version === '2.0' && typeof http === 'object') {
    return `an API Gateway HTTP API event (${String(http?.method)})`;
  }
  if (typeof e['detail-type'] === 'string' && typeof e.source === 'string') {
    return `an EventBridge event ("${e['detail-type'].slice(0, 100)}" from ${e.source.slice(0, 100)})`;
  }
  const keys = Object.keys(e);
  if (keys.length === 0) return 'an empty object';
  const shown = keys.slice(0, 5).map((key) => JSON.stringify(key.slice(0, 40)));
  return `an object with keys ${shown.join(', ')}${keys.length > 5 ? ', …' : ''}`;
}

/** The EventBridge rule's own event for a schedule expression (an EventBridge rule, not Scheduler). */
export function isScheduledEvent(event: unknown): boolean {
  const e = event as { source?: unknown; 'detail-type'?: unknown } | null;
  return e?.source === 'aws.events' && e['detail-type'] === 'Scheduled Event';
}

/**
 * Events a function may be handed by mistake (a trigger wired to the wrong function, a hand-made invoke),
 * shaped like AWS's own sample events. Each function must answer them with a clear error naming the kind.
 */
import { restApiEvent } from '../../local/api-gateway-events';

export const SQS_EVENT = {
  Records: [
    {
      messageId: '059f36b4-87a3-44ab-83d2-661975830a7d',
      receiptHandle: 'AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a',
      body: 'Test message.',
      attributes: { ApproximateReceiveCount: '1', SentTimestamp: '1545082649183' },
      messageAttributes: {},
      md5OfBody: 'e4e68fb7bd0e697a0ae8f1bb342846b3',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-2:123456789012:my-queue',
      awsRegion: 'us-east-2',
    },
  ],
};

export const SNS_EVENT = {
  Records: [
    {
      EventVersion: '1.0',
      EventSource: 'aws:sns',
      Sns: { Type: 'Notification', MessageId: '95df01b4', Message: 'Hello from SNS!' },
    },
  ],
};

/** An EventBridge rule's schedule event: right for reconcile, wrong for the others. */
export const SCHEDULED_EVENT = {
  version: '0',
  id: '53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa',
  'detail-type': 'Scheduled Event',
  source: 'aws.events',
  account: '123456789012',
  time: '2026-03-01T10:00:00Z',
  region: 'us-east-1',
  resources: ['arn:aws:events:us-east-1:123456789012:rule/my-schedule'],
  detail: {},
};

export const API_GATEWAY_EVENT = restApiEvent({
  method: 'GET',
  path: '/messages/order-1',
  resource: '/messages/{id}',
});

/** Events no function of the service takes, with the words their error must contain. */
export const FOREIGN_EVENTS: Array<[string, unknown, RegExp]> = [
  ['null', null, /got null/],
  ['a string', 'reconcile please', /got a string/],
  ['a number', 42, /got a number/],
  ['an array', [{ httpMethod: 'GET' }], /got an array/],
  ['an SQS event', SQS_EVENT, /got an SQS event/],
  ['an SNS event', SNS_EVENT, /got an SNS event/],
];

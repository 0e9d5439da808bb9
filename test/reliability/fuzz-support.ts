/** Shared pieces of the fuzz tests: generators of invalid inputs and the "nothing written, nothing sent" probes. */
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import type { RetryMessage } from '../../shared/delivery/retry-message';
import type { RetryQueue } from '../../shared/delivery/retry-queue';
import type { DeliveryHarness } from '../support/delivery-harness';

/** A valid send request: every generator below breaks it in one way that makes it invalid. */
export const VALID_REQUEST = {
  idempotencyKey: 'fuzz-valid-1',
  target: {
    kind: 'conversation',
    conversationId: 'c0ffee00-0000-4000-8000-0000000f0001',
    communicationId: 'c0ffee00-0000-4000-8000-0000000f0002',
  },
  message: { text: 'Your order has shipped.' },
  metadata: { orderId: '12345' },
} as const;

/** Keys an attacker tries for prototype pollution, and names every object has. */
export const TRICKY_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf'];

/** A value of any JSON type but `kind`. */
function wrongTypeFor(kind: 'string' | 'object'): fc.Arbitrary<unknown> {
  const scalars = fc.oneof(fc.integer(), fc.double({ noNaN: true }), fc.boolean(), fc.constant(null));
  return kind === 'string'
    ? fc.oneof(scalars, fc.array(fc.string(), { maxLength: 3 }), fc.dictionary(fc.string(), fc.string()))
    : fc.oneof(scalars, fc.string(), fc.array(fc.jsonValue(), { maxLength: 3 }));
}

/** Field paths of VALID_REQUEST with the JSON type the schema wants there. */
const TYPED_PATHS: ReadonlyArray<[path: string[], kind: 'string' | 'object']> = [
  [['idempotencyKey'], 'string'],
  [['target'], 'object'],
  [['target', 'kind'], 'string'],
  [['target', 'conversationId'], 'string'],
  [['target', 'communicationId'], 'string'],
  [['message'], 'object'],
  [['message', 'text'], 'string'],
  [['metadata'], 'object'],
  [['metadata', 'orderId'], 'string'],
];

function withValueAt(path: readonly string[], value: unknown): Record<string, unknown> {
  const copy = structuredClone(VALID_REQUEST) as unknown as Record<string, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string, unknown>;
  node[path.at(-1) as string] = value;
  return copy;
}

/** The valid request with one field of the wrong JSON type. */
export const wrongTypeRequest: fc.Arbitrary<Record<string, unknown>> = fc
  .constantFrom(...TYPED_PATHS)
  .chain(([path, kind]) => wrongTypeFor(kind).map((value) => withValueAt(path, value)));

/** The valid request with a required field missing. */
export const missingFieldRequest: fc.Arbitrary<Record<string, unknown>> = fc
  .constantFrom(
    ['target'],
    ['message'],
    ['target', 'kind'],
    ['target', 'conversationId'],
    ['message', 'text'],
  )
  .map((path) => {
    const copy = structuredClone(VALID_REQUEST) as unknown as Record<string, unknown>;
    let node = copy;
    for (const key of path.slice(0, -1)) node = node[key] as Record<string, unknown>;
    delete node[path.at(-1) as string];
    return copy;
  });

/**
 * JSON text of the valid request with an unknown key (a prototype trick or any other name) in an object
 * the schema closes: the top level, the target or the message. Built as text: a JS object literal with
 * `__proto__` would set the prototype instead of adding the key.
 */
export const unknownKeyBody: fc.Arbitrary<string> = fc
  .record({
    where: fc.constantFrom('top', 'target', 'message'),
    key: fc.oneof(
      fc.constantFrom(...TRICKY_KEYS),
      fc
        .string({ minLength: 1 })
        .filter(
          (k) =>
            ![
              'idempotencyKey',
              'target',
              'message',
              'metadata',
              'kind',
              'text',
              'channel',
              'sendAt',
              'conversationId',
              'communicationId',
              'quickReplies',
            ].includes(k),
        ),
    ),
    value: fc.jsonValue({ maxDepth: 2 }),
  })
  .map(({ where, key, value }) => {
    const json = JSON.stringify(VALID_REQUEST);
    const entry = `${JSON.stringify(key)}:${JSON.stringify(value)},`;
    if (where === 'top') return `{${entry}${json.slice(1)}`;
    const anchor = where === 'target' ? '"target":{' : '"message":{';
    return json.replace(anchor, `${anchor}${entry}`);
  });

/** Deeply nested arrays or objects (up to ~60 KB) at the top or in place of a field. */
export const deepBody: fc.Arbitrary<string> = fc
  .record({
    depth: fc.integer({ min: 50, max: 9_000 }),
    shape: fc.constantFrom('array', 'object'),
    where: fc.constantFrom('top', 'target', 'message', 'text', 'metadata'),
  })
  .map(({ depth, shape, where }) => {
    const deep =
      shape === 'array'
        ? `${'['.repeat(depth)}${']'.repeat(depth)}`
        : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
    if (where === 'top') return deep;
    const replaced =
      where === 'text'
        ? '"Your order has shipped."'
        : JSON.stringify(VALID_REQUEST[where === 'metadata' ? 'metadata' : where]);
    return JSON.stringify(VALID_REQUEST).replace(replaced, deep);
  });

/** Byte sequences that are not UTF-8: a lone continuation byte, an overlong form, a surrogate, 0xFF. */
const INVALID_UTF8 = [
  [0x80],
  [0xc0, 0xaf],
  [0xed, 0xa0, 0x80],
  [0xff],
  [0xc3, 0x28],
  [0xf8, 0x88, 0x80, 0x80, 0x80],
];

/** The valid request's bytes with invalid UTF-8 put inside a string value. */
export const invalidUtf8Body: fc.Arbitrary<Buffer> = fc
  .record({ bad: fc.constantFrom(...INVALID_UTF8), at: fc.nat() })
  .map(({ bad, at }) => {
    const text = Buffer.from('Your order has shipped.', 'utf8');
    const cut = at % (text.length + 1);
    const broken = Buffer.concat([text.subarray(0, cut), Buffer.from(bad), text.subarray(cut)]);
    const [before, after] = JSON.stringify(VALID_REQUEST).split('Your order has shipped.') as [
      string,
      string,
    ];
    return Buffer.concat([Buffer.from(before), broken, Buffer.from(after)]);
  });

/** Any bytes at all. */
export const randomBytes: fc.Arbitrary<Buffer> = fc
  .uint8Array({ minLength: 1, maxLength: 400 })
  .map((bytes) => Buffer.from(bytes));

/** Content types that are not JSON (the body is otherwise valid). */
export const nonJsonContentType = fc.oneof(
  fc.constantFrom(
    'text/plain',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'application/jsonp',
    'application/json-patch',
    'text/json',
    'application/xml',
    'json',
  ),
  fc
    .stringMatching(/^[a-z]{1,10}\/[a-z.-]{1,15}$/)
    .filter((t) => t !== 'application/json' && !t.endsWith('+json')),
);

/** Idempotency-Key header values that are not keys: empty, blank, too long, path tricks, control characters. */
export const badIdempotencyHeader = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    '\t',
    'a'.repeat(129),
    '../../etc/passwd',
    'key with space',
    'k\r\nX-Injected: 1',
    'ключ',
    '%00',
    'a/b',
  ),
  fc.string({ minLength: 1, maxLength: 40 }).filter((k) => !/^[A-Za-z0-9._:-]+$/.test(k)),
);

/** Retry queue stand-in that only counts: an invalid request must never reach it. */
export class CountingRetryQueue implements RetryQueue {
  enqueued: RetryMessage[] = [];
  deadLettered: string[] = [];
  async enqueue(message: RetryMessage): Promise<void> {
    this.enqueued.push(message);
  }
  async deadLetter(body: string): Promise<void> {
    this.deadLettered.push(body);
  }
}

/** Items in the harness's status table: a consistent full scan (the tables here stay small). */
export async function itemCount(harness: DeliveryHarness): Promise<number> {
  let count = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await harness.dynamo.client.send(
      new ScanCommand({
        TableName: harness.tableName,
        Select: 'COUNT',
        ConsistentRead: true,
        ExclusiveStartKey: startKey,
      }),
    );
    count += page.Count ?? 0;
    startKey = page.LastEvaluatedKey;
  } while (startKey !== undefined);
  return count;
}

/** Send calls the sandbox received (all three send endpoints). */
export function genesysSends(harness: DeliveryHarness): number {
  const { requests } = harness.sandbox.stats();
  return requests.botConnector + requests.conversationMessage + requests.agentless;
}

/** Every 4xx answer's body: a stable code and a sentence. */
export function hasErrorReason(body: unknown): boolean {
  const error = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  return (
    typeof error?.code === 'string' &&
    error.code !== '' &&
    typeof error.message === 'string' &&
    error.message !== ''
  );
}

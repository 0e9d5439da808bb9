import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv-draft-04';
import { describe, expect, it } from 'vitest';
import { TEST_ADDRESSES } from '../../local/sandbox/test-addresses';
import { messageKindOf, parseSendRequest } from '../../shared/messages';
import { SEND_REQUEST_JSON_SCHEMA_FILE } from '../../shared/messages/json-schema';

// Every example request (examples/requests/) is valid for both published forms of the contract: the zod
// schema the function applies and the committed JSON Schema.

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dir = join(root, 'examples', 'requests');
const examples = readdirSync(dir)
  .filter((name) => name.endsWith('.json'))
  .map((name) => ({ name, request: JSON.parse(readFileSync(join(dir, name), 'utf8')) }));
const schema = JSON.parse(readFileSync(join(root, SEND_REQUEST_JSON_SCHEMA_FILE), 'utf8'));
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

describe('example send requests', () => {
  it.each(examples)('$name passes the zod schema and the committed JSON Schema', ({ request }) => {
    // Act
    const parsed = parseSendRequest(request);
    const valid = validate(request);
    // Assess
    expect(parsed.idempotencyKey).toBe(request.idempotencyKey);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('covers every target with every kind of message it takes, and a WhatsApp template with bodyParameters', () => {
    // Act
    const combos = new Set(
      examples.map(({ request }) => {
        const parsed = parseSendRequest(request);
        const target =
          parsed.target.kind === 'agentless'
            ? `agentless-${parsed.target.messengerType}`
            : parsed.target.kind;
        return `${target}:${messageKindOf(parsed.message)}`;
      }),
    );
    // Assess
    for (const kind of ['text', 'quickReplies', 'card', 'carousel'])
      expect(combos).toContain(`botConnector:${kind}`);
    for (const kind of ['text', 'quickReplies', 'card', 'carousel', 'template', 'mediaId']) {
      expect(combos).toContain(`conversation:${kind}`);
    }
    for (const combo of [
      'agentless-sms:text',
      'agentless-sms:card',
      'agentless-whatsapp:template',
      'agentless-open:quickReplies',
    ]) {
      expect(combos).toContain(combo);
    }
    const whatsapp = examples.find(({ name }) => name === 'agentless-whatsapp-template.json');
    expect(whatsapp?.request.message.template.bodyParameters.length).toBeGreaterThan(0);
  });

  it('includes sandbox test addresses that fail on purpose', () => {
    const addresses = examples.map(({ request }) => request.target.toAddress);
    expect(addresses).toContain(TEST_ADDRESSES.find((t) => t.status === 400)?.toAddress);
    expect(addresses).toContain(TEST_ADDRESSES.find((t) => t.status === 429)?.toAddress);
  });

  it('a request the JSON Schema refuses is refused by the zod schema too (the check is not vacuous)', () => {
    const broken = { ...examples[0]!.request, message: { text: 'x', card: { title: 't', actions: [] } } };
    expect(validate(broken)).toBe(false);
    expect(() => parseSendRequest(broken)).toThrow();
  });
});

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CAROUSEL_CARDS_MAX, METADATA_MAX_KEYS, parseSendRequest } from '../../shared/messages';
import { HTTPS_URL_PATTERN } from '../../shared/messages/content-schema';
import {
  SEND_REQUEST_JSON_SCHEMA_FILE,
  sendRequestJsonSchema,
  sendRequestJsonSchemaText,
} from '../../shared/messages/json-schema';

const CONVERSATION_ID = 'b5c8e0a3-8d4e-4a5f-9f1e-2c7d3b6a9e10';
const repositoryRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

type Node = Record<string, unknown>;

/** Follows property names and `anyOf`/`oneOf` indexes through the generated schema. */
function at(schema: unknown, ...steps: (string | number)[]): Node {
  let node = schema as Node;
  for (const step of steps) {
    if (typeof step === 'number') {
      const options = (node.anyOf ?? node.oneOf) as Node[];
      node = options[step] as Node;
    } else if (step === '[]') {
      node = node.items as Node;
    } else {
      node = (node.properties as Node)[step] as Node;
    }
  }
  return node;
}

describe('send request JSON Schema', () => {
  it('is committed up to date (run `npm run schema` after changing the zod schema)', () => {
    // Prepare
    const committed = readFileSync(join(repositoryRoot, SEND_REQUEST_JSON_SCHEMA_FILE), 'utf8');

    // Act
    const fresh = sendRequestJsonSchemaText();

    // Assess
    expect(committed).toBe(fresh);
  });

  it('is draft 4 for API Gateway, closed to unknown fields, requiring target and message', () => {
    // Act
    const schema = sendRequestJsonSchema();

    // Assess
    expect(schema.$schema).toBe('http://json-schema.org/draft-04/schema#');
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toEqual(['target', 'message']);
    const kinds = (at(schema, 'target').oneOf as Node[]).map((option) => at(option, 'kind').enum);
    expect(kinds).toEqual([['botConnector'], ['botSession'], ['conversation'], ['agentless']]);
  });

  it('carries the bounds API Gateway can check: https URLs, carousel size, metadata size', () => {
    // Act
    const schema = sendRequestJsonSchema();

    // Assess
    const cardOption = 2;
    const carouselOption = 3;
    expect(at(schema, 'message', cardOption, 'card', 'image').pattern).toBe(HTTPS_URL_PATTERN.source);
    expect(at(schema, 'message', carouselOption, 'carousel', 'cards').maxItems).toBe(CAROUSEL_CARDS_MAX);
    expect(at(schema, 'metadata').maxProperties).toBe(METADATA_MAX_KEYS);
    expect(at(schema, 'message', cardOption, 'card').additionalProperties).toBe(false);
  });

  it('has patterns that agree with the zod schema on URLs', () => {
    // Prepare
    const pattern = new RegExp(String(at(sendRequestJsonSchema(), 'message', 2, 'card', 'image').pattern));
    const urls = [
      'https://cdn.example.com/a.png',
      'https://shop.example.com:8443/p?x=1#y',
      'http://cdn.example.com/a.png',
      'https://localhost/a',
      'https://a.example.com/a b',
      'https://169.254.169.254/latest/meta-data',
      'https://127.0.0.1/a',
      'https://0x7f.0x0.0x0.0x1/a',
      'https://2130706433/a',
      'https://[::1]/a',
      'https://user@cdn.example.com/a',
      'https://cdn.example.com/a\u0000b',
      'https://cdn.example.com/a\u202eb',
      'https://cdn.example.com/a\tb',
    ];

    // Act
    const zodVerdicts = urls.map((url) => {
      try {
        parseSendRequest({
          target: { kind: 'conversation', conversationId: CONVERSATION_ID, communicationId: CONVERSATION_ID },
          message: { card: { title: 't', image: url, actions: [] } },
        });
        return true;
      } catch {
        return false;
      }
    });

    // Assess
    expect(urls.map((url) => pattern.test(url))).toEqual(zodVerdicts);
    expect(zodVerdicts).toEqual([true, true, ...Array(urls.length - 2).fill(false)]);
  });

  it('gives every Genesys id in a URL path the UUID pattern, which refuses dot segments and slashes', () => {
    // Prepare
    const targets = at(sendRequestJsonSchema(), 'target');
    const target = ((targets.anyOf ?? targets.oneOf) as Node[]).find((schema) =>
      (at(schema, 'kind').enum as unknown[] | undefined)?.includes('conversation'),
    ) as Node;
    const ids = ['conversationId', 'communicationId'].map(
      (name) => new RegExp(String(at(target, name).pattern)),
    );

    // Act
    const verdicts = ids.map((pattern) => ['..', '.', 'a/b', CONVERSATION_ID].map((id) => pattern.test(id)));

    // Assess
    expect(verdicts).toEqual([
      [false, false, false, true],
      [false, false, false, true],
    ]);
  });

  it('gives bot ids a path-free name pattern in JSON Schema as in zod', () => {
    // Prepare
    const target = at(sendRequestJsonSchema(), 'target', 0);
    const names = ['..', '.', 'a/b', 'bot 1', 'order-bot', 'v1.2'];

    // Act
    const verdicts = ['botId', 'botVersion', 'botSessionId'].map((field) => {
      const pattern = new RegExp(String(at(target, field).pattern));
      return names.map((name) => pattern.test(name));
    });

    // Assess
    for (const fieldVerdicts of verdicts)
      expect(fieldVerdicts).toEqual([false, false, false, false, true, true]);
  });
});

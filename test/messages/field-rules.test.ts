/** The field rules of issue 15: Genesys ids, hostile characters, URLs, metadata keys, agentless addresses. */
import { describe, expect, it } from 'vitest';
import { parseSendRequest, ValidationError } from '../../shared/messages';
import {
  AGENTLESS_OPEN_TARGET,
  AGENTLESS_SMS_TARGET,
  AGENTLESS_WHATSAPP_TARGET,
  BOT_CONNECTOR_TARGET,
} from './fixtures';

function issuesOf(input: unknown): Array<{ path: string; message: string }> {
  try {
    parseSendRequest(input);
  } catch (error) {
    if (error instanceof ValidationError) return [...error.issues];
    throw error;
  }
  return [];
}

const UUID = 'b5c8e0a3-8d4e-4a5f-9f1e-2c7d3b6a9e10';

describe('send request field rules', () => {
  it('refuses conversation and communication ids that are not UUIDs, dot segments above all', () => {
    // Act
    const issues = issuesOf({
      target: { kind: 'conversation', conversationId: '..', communicationId: '.' },
      message: { text: 'hi' },
    });

    // Assess
    expect(issues).toEqual([
      { path: 'target.conversationId', message: 'must be a Genesys id (a UUID)' },
      { path: 'target.communicationId', message: 'must be a Genesys id (a UUID)' },
    ]);
  });

  it('refuses bot ids that could act as a path', () => {
    // Act
    const issues = issuesOf({
      target: { ...BOT_CONNECTOR_TARGET, botId: '..', botVersion: 'a/b', botSessionId: 'x y' },
      message: { text: 'hi' },
    });

    // Assess
    expect(issues.map((issue) => issue.path)).toEqual([
      'target.botId',
      'target.botVersion',
      'target.botSessionId',
    ]);
  });

  it.each([
    ['NUL', 'a\u0000b', 'must not contain a control character (U+0000) (at index 1)'],
    ['escape', '\u001b[31mred', 'must not contain a control character (U+001B) (at index 0)'],
    ['C1 control', 'a\u0085', 'must not contain a control character (U+0085) (at index 1)'],
    [
      'right-to-left override',
      'pay \u202Eexe.pdf',
      'must not contain a bidirectional override or isolate (U+202E) (at index 4)',
    ],
    ['isolate', '\u2067x', 'must not contain a bidirectional override or isolate (U+2067) (at index 0)'],
    [
      'lone high surrogate',
      'a\uD83D',
      'must not contain a lone surrogate (U+D83D at index 1): it is not valid Unicode',
    ],
    [
      'lone low surrogate',
      '\uDE00a',
      'must not contain a lone surrogate (U+DE00 at index 0): it is not valid Unicode',
    ],
    ['noncharacter', 'a\uFFFF', 'must not contain a Unicode noncharacter (U+FFFF) (at index 1)'],
  ])('refuses text with a %s, naming the field', (_name, text, message) => {
    // Act
    const issues = issuesOf({
      target: BOT_CONNECTOR_TARGET,
      message: { card: { title: text, actions: [] } },
    });

    // Assess
    expect(issues).toEqual([{ path: 'message.card.title', message }]);
  });

  it('keeps what real text holds: line breaks, tabs, emoji (surrogate pairs), right-to-left scripts', () => {
    // Act
    const parsed = parseSendRequest({ target: BOT_CONNECTOR_TARGET, message: { text: 'שלום\n\t😀 مرحبا' } });

    // Assess
    expect(parsed.message).toEqual({ text: 'שלום\n\t😀 مرحبا' });
  });

  it.each([
    'https://169.254.169.254/latest/meta-data/',
    'https://127.0.0.1/a.png',
    'https://2130706433/a.png',
    'https://0x7f.0.0.1/a.png',
    'https://0177.0.0.1/a.png',
    'https://[::1]/a.png',
    'https://[::ffff:169.254.169.254]/a.png',
    'https://cdn.example.com/a\u0000.png',
    'https://cdn.example.com/a\u007f.png',
    'https://cdn.example.com/\u202egnp.exe',
  ])('refuses the link or image URL %j', (url) => {
    // Act
    const issues = issuesOf({
      target: BOT_CONNECTOR_TARGET,
      message: { card: { title: 't', image: url, actions: [{ type: 'link', text: 'Open', url }] } },
    });

    // Assess
    expect(issues.map((issue) => issue.path)).toEqual(['message.card.image', 'message.card.actions[0].url']);
  });

  it('refuses metadata keys that are not plain identifiers, keeps constructor and __proto__ rules apart', () => {
    // Act
    const issues = issuesOf({
      target: BOT_CONNECTOR_TARGET,
      message: { text: 'hi' },
      metadata: {
        'a b': '1',
        $where: '2',
        '': '3',
        '1st': '4',
        constructor: 'ok',
        order_id: 'ok',
        'x.y-z': 'ok',
      },
    });

    // Assess
    expect(issues.map((issue) => issue.path)).toEqual([
      'metadata["a b"]',
      'metadata.$where',
      'metadata[""]',
      'metadata["1st"]',
    ]);
    expect(issues[0]?.message).toBe(
      'key must be a plain identifier: A-Z a-z 0-9 _ . - starting with a letter or _',
    );
  });

  it.each([
    [
      'SMS from a number without +',
      { ...AGENTLESS_SMS_TARGET, fromAddress: '13175550100' },
      'target.fromAddress',
      'must be an E.164 number such as +13175550100 for sms',
    ],
    [
      'SMS to a local number',
      { ...AGENTLESS_SMS_TARGET, toAddress: '0317 555 0199' },
      'target.toAddress',
      'must be an E.164 number such as +13175550199 for sms',
    ],
    [
      'WhatsApp to a number with +',
      { ...AGENTLESS_WHATSAPP_TARGET, toAddress: '+447700900123' },
      'target.toAddress',
      'must be the number in E.164 digits without "+", such as 13175550199 for whatsapp',
    ],
    [
      'WhatsApp from a number',
      { ...AGENTLESS_WHATSAPP_TARGET, fromAddress: '+13175550100' },
      'target.fromAddress',
      "must be the WhatsApp integration's id (a UUID) for whatsapp",
    ],
    [
      'Open from a name',
      { ...AGENTLESS_OPEN_TARGET, fromAddress: 'my-integration' },
      'target.fromAddress',
      "must be the Open Messaging integration's id (a UUID) for open",
    ],
  ])('refuses an agentless address: %s', (_name, target, path, message) => {
    // Prepare
    const msg = target.messengerType === 'whatsapp' ? { template: { responseId: 'r-1' } } : { text: 'hi' };

    // Act
    const issues = issuesOf({ target, message: msg });

    // Assess
    expect(issues).toEqual([{ path, message }]);
  });

  it('accepts the addresses Genesys takes, and a free-form Open recipient id', () => {
    // Act
    const accepted = [
      AGENTLESS_SMS_TARGET,
      AGENTLESS_OPEN_TARGET,
      { ...AGENTLESS_OPEN_TARGET, fromAddress: UUID.toUpperCase() },
    ].map((target) => parseSendRequest({ target, message: { text: 'hi' } }).target);

    // Assess
    expect(accepted).toHaveLength(3);
  });
});

/** fast-check arbitraries for send requests of the schema's shape (tests only). */
import fc from 'fast-check';
import { CHANNELS, type SendRequest } from '../../shared/messages';
import { HTTPS_URL_PATTERN } from '../../shared/messages/content-schema';

/**
 * Non-blank text within `max` UTF-16 units: short ASCII, any code points, or long runs whose length is
 * spread over the whole range (so text forms reach and pass the channel limits).
 */
export function text(max: number): fc.Arbitrary<string> {
  return fc
    .tuple(
      fc.constantFrom('a', 'Z', '7', 'é', '😀', '#', 'ß'),
      fc.oneof(
        fc.string({ maxLength: 30 }),
        fc.string({ unit: 'binary', maxLength: max }),
        fc.tuple(fc.constantFrom('x', ' ', 'ü', '\n'), fc.nat({ max })).map(([unit, n]) => unit.repeat(n)),
      ),
    )
    .map(([head, tail]) => (head + tail).slice(0, max))
    .filter((value) => /\S/.test(value));
}

const url = fc
  .tuple(fc.domain(), fc.stringMatching(/^[a-z0-9_.~-]{0,40}$/))
  .map(([domain, path]) => `https://${domain}/${path}`)
  .filter((value) => HTTPS_URL_PATTERN.test(value) && value.length <= 2048);

const postback = fc.record({ type: fc.constant('postback' as const), text: text(256), payload: text(1000) });
const link = fc.record({ type: fc.constant('link' as const), text: text(256), url });
const action = fc.oneof(postback, link);

const card = fc.record(
  {
    title: text(256),
    description: text(1024),
    image: url,
    defaultAction: action,
    actions: fc.array(action, { maxLength: 10 }),
  },
  { requiredKeys: ['title', 'actions'] },
);

const reply = fc.record(
  { text: text(256), payload: text(1000), image: url },
  { requiredKeys: ['text', 'payload'] },
);
const parameters = fc.array(fc.record({ id: text(256), value: text(1024) }), { maxLength: 5 });

export const messageArbitrary = fc.oneof(
  fc.record({ text: text(2000) }),
  fc.record(
    {
      text: text(2000),
      quickReplies: fc.record(
        { title: text(256), replies: fc.array(reply, { minLength: 1, maxLength: 13 }) },
        { requiredKeys: ['replies'] },
      ),
    },
    { requiredKeys: ['quickReplies'] },
  ),
  fc.record({ card }),
  fc.record({ carousel: fc.record({ cards: fc.array(card, { minLength: 1, maxLength: 10 }) }) }),
  fc.record({
    template: fc.record(
      {
        responseId: text(256),
        headerParameters: parameters,
        bodyParameters: parameters,
        buttonUrlParameters: parameters,
      },
      { requiredKeys: ['responseId'] },
    ),
  }),
  fc.record({ mediaId: text(256) }),
);

const target = fc.oneof(
  fc.record(
    {
      kind: fc.constant('botConnector' as const),
      botId: text(256),
      botVersion: text(256),
      botSessionId: text(256),
      languageCode: fc.constantFrom('en-us', 'fr', 'pt-BR', 'zh-Hant-TW'),
      botState: fc.constantFrom('Complete' as const, 'Failed' as const, 'MoreData' as const),
      conversationId: text(256),
    },
    { requiredKeys: ['kind', 'botId', 'botVersion', 'botSessionId', 'languageCode'] },
  ),
  fc.record({
    kind: fc.constant('conversation' as const),
    conversationId: text(256),
    communicationId: text(256),
  }),
  fc.record({
    kind: fc.constant('agentless' as const),
    messengerType: fc.constantFrom('sms' as const, 'whatsapp' as const, 'open' as const),
    fromAddress: text(256),
    toAddress: text(256),
  }),
);

/**
 * Requests of the schema's shape (they may still break a Genesys or channel rule). Agentless requests
 * mostly leave the channel out or repeat the messenger type, as callers do.
 */
export const requestArbitrary: fc.Arbitrary<SendRequest> = target.chain((t) =>
  fc.record(
    {
      target: fc.constant(t),
      channel:
        t.kind === 'agentless'
          ? fc.oneof(
              { arbitrary: fc.constant(t.messengerType), weight: 4 },
              { arbitrary: fc.constantFrom(...CHANNELS), weight: 1 },
            )
          : fc.constantFrom(...CHANNELS),
      message: messageArbitrary,
    },
    { requiredKeys: ['target', 'message'] },
  ),
);

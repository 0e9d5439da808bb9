import type { Models } from 'purecloud-platform-client-v2';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { type Sandbox, startSandbox } from '../../local/sandbox';
import {
  AGENTLESS_MESSAGES_PATH,
  BOT_CONNECTOR_MESSAGES_PATH,
  conversationMessagesPath,
  genesysMessageIdOf,
  type SendRoute,
} from '../../shared/genesys/endpoints';
import type { GenesysErrorInfo } from '../../shared/genesys/types';
import {
  agentlessSmsBody,
  agentlessWhatsAppTemplateBody,
  botConnectorCardBody,
  botConnectorCarouselBody,
  botConnectorQuickRepliesBody,
  conversationTextBody,
} from './support/sample-bodies';
import { sandboxClient } from './support/sandbox-client';

/*
 * The contract with the real API, checked two ways:
 * - at compile time (`tsc`, part of `npm test`): the sample bodies `satisfies` the official SDK models
 *   (support/sample-bodies.ts), and the fields our code reads exist in the SDK's answer models;
 * - at run time: the same bodies go through the client to the sandbox, which validates them like Genesys.
 */

describe('contract: the fields the client reads exist in the official models', () => {
  it('ErrorBody carries status, code, message and contextId', () => {
    // Assess (compile time)
    expectTypeOf<'status' | 'code' | 'message' | 'contextId'>().toExtend<keyof Models.ErrorBody>();
    expectTypeOf<Pick<Models.ErrorBody, 'code' | 'message' | 'contextId' | 'status'>>().toExtend<
      Partial<Pick<GenesysErrorInfo, 'code' | 'message' | 'contextId' | 'status'>>
    >();
  });

  it('each send answer carries the Genesys message id where genesysMessageIdOf looks for it', () => {
    // Assess (compile time)
    expectTypeOf<Models.OutgoingMessageResponse['messageId']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<Models.MessageData['id']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<
      NonNullable<Models.SendAgentlessOutboundMessageResponse['message']>
    >().toEqualTypeOf<Models.MessageData>();
    expectTypeOf<Models.SendAgentlessOutboundMessageResponse['id']>().toEqualTypeOf<string | undefined>();
  });

  it('a field the API does not know does not type-check', () => {
    // Assess (compile time: each line must fail `satisfies`, or tsc reports the unused directive)
    const card = botConnectorCardBody('x');
    // @ts-expect-error `cardTitle` is not a field of OutgoingMessageRequest
    ({ ...card, cardTitle: 'Order' }) satisfies Models.OutgoingMessageRequest;
    // @ts-expect-error `body` is not the name of the text field (it is `textBody`)
    ({ body: 'hello' }) satisfies Models.AdditionalMessage;
    // @ts-expect-error `to` is not a field of SendAgentlessOutboundMessageRequest (it is `toAddress`)
    ({ ...agentlessSmsBody('x'), to: '+1' }) satisfies Models.SendAgentlessOutboundMessageRequest;
    expect(card.botId).toBe('order-bot');
  });
});

describe('contract: the sandbox accepts the typed bodies through the client', () => {
  let sandbox: Sandbox;

  beforeAll(async () => {
    sandbox = await startSandbox({ rateLimit: false, receipts: false });
  });

  afterAll(async () => {
    await sandbox.close();
  });

  const cases: Array<[string, SendRoute, string, () => unknown]> = [
    [
      'bot connector card',
      'botConnector',
      BOT_CONNECTOR_MESSAGES_PATH,
      () => botConnectorCardBody('contract card'),
    ],
    [
      'bot connector quick replies',
      'botConnector',
      BOT_CONNECTOR_MESSAGES_PATH,
      () => botConnectorQuickRepliesBody('contract qr'),
    ],
    [
      'bot connector carousel',
      'botConnector',
      BOT_CONNECTOR_MESSAGES_PATH,
      () => botConnectorCarouselBody('contract carousel'),
    ],
    [
      'conversation text',
      'conversation',
      conversationMessagesPath('conv-1', 'comm-1'),
      () => conversationTextBody('contract text'),
    ],
    ['agentless sms', 'agentless', AGENTLESS_MESSAGES_PATH, () => agentlessSmsBody('contract sms')],
    [
      'agentless whatsapp template',
      'agentless',
      AGENTLESS_MESSAGES_PATH,
      () => agentlessWhatsAppTemplateBody('12345'),
    ],
  ];

  it.each(cases)('%s is sent and answered with a Genesys message id', async (_name, route, path, body) => {
    // Act
    const outcome = await sandboxClient(sandbox).request('POST', path, body());

    // Assess
    expect(outcome.kind).toBe('sent');
    expect(outcome.kind === 'sent' && genesysMessageIdOf(route, outcome.data)).toMatch(/^[0-9a-f]{32}$/);
  });
});

import type { Models } from 'purecloud-platform-client-v2';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  type BotConnectorBody,
  parseSendRequest,
  renderForTarget,
  type sessionCompletion,
  ValidationError,
  type ValidationIssue,
} from '../../shared/messages';
import { sendRequestJsonSchema } from '../../shared/messages/json-schema';
import { BOT_CONNECTOR_TARGET, CONVERSATION_TARGET, ORDER_CONFIRMATION_CARD } from './fixtures';

const SESSION = { kind: 'botSession', conversationId: 'c0ffee00-0000-4000-8000-00000000000a' } as const;

function issuesOf(input: unknown): ValidationIssue[] {
  try {
    parseSendRequest(input);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return [...(error as ValidationError).issues];
  }
  throw new Error('accepted');
}

describe('the botSession target', () => {
  it('is accepted with a conversation id, and checked as a bot connector reply (no templates)', () => {
    expect(parseSendRequest({ target: SESSION, message: { card: ORDER_CONFIRMATION_CARD } }).target).toEqual(
      SESSION,
    );
    expect(issuesOf({ target: SESSION, message: { template: { responseId: 't' } } })).toEqual([
      expect.objectContaining({
        path: 'message.template',
        message: expect.stringMatching(/bot connector reply cannot carry a messaging template/),
      }),
    ]);
    expect(issuesOf({ target: { kind: 'botSession' }, message: { text: 'x' } })).toEqual([
      expect.objectContaining({ path: 'target.conversationId' }),
    ]);
  });

  it('does not render before its session is resolved', () => {
    expect(() => renderForTarget({ target: SESSION, message: { text: 'hi' } })).toThrow(
      /resolved to its open bot session/,
    );
  });

  it('is in the committed JSON Schema, as are complete and fail', () => {
    const text = JSON.stringify(sendRequestJsonSchema());
    expect(text).toContain('"botSession"');
    expect(Object.keys((sendRequestJsonSchema().properties ?? {}) as object)).toEqual(
      expect.arrayContaining(['complete', 'fail']),
    );
  });
});

describe('complete and fail', () => {
  it('need an intent to complete, and an error code and message to fail', () => {
    expect(issuesOf({ target: SESSION, message: { text: 'x' }, complete: {} })).toEqual([
      expect.objectContaining({ path: 'complete.intent' }),
    ]);
    expect(issuesOf({ target: SESSION, message: { text: 'x' }, fail: { errorCode: 'x' } })).toEqual([
      expect.objectContaining({ path: 'fail.errorMessage' }),
    ]);
  });

  it('are mutually exclusive', () => {
    expect(
      issuesOf({
        target: SESSION,
        message: { text: 'x' },
        complete: { intent: 'A' },
        fail: { errorCode: 'e', errorMessage: 'm' },
      }),
    ).toEqual([{ path: 'fail', message: 'complete and fail are mutually exclusive: send one of them' }]);
  });

  it('only end bot sessions', () => {
    expect(
      issuesOf({ target: CONVERSATION_TARGET, message: { text: 'x' }, complete: { intent: 'A' } }),
    ).toEqual([
      {
        path: 'complete',
        message: 'ends a bot session: only with a botSession or botConnector target, not conversation',
      },
    ]);
  });

  it('set botState themselves: an explicit target.botState beside them is refused', () => {
    expect(
      issuesOf({
        target: { ...BOT_CONNECTOR_TARGET, botState: 'MoreData' },
        message: { text: 'x' },
        complete: { intent: 'A' },
      }),
    ).toEqual([
      { path: 'target.botState', message: 'leave it out with complete: complete sets botState Complete' },
    ]);
  });

  it('check entity values against their type: value for simple types, values for collections', () => {
    const issues = issuesOf({
      target: SESSION,
      message: { text: 'x' },
      complete: {
        intent: 'A',
        entities: [
          { name: 'orderId', type: 'String', values: ['1'] },
          { name: 'sizes', type: 'IntegerCollection', value: '1' },
          { name: 'when', type: 'Date', value: 'x' },
        ],
      },
    });
    expect(issues.map((issue) => issue.path)).toEqual(
      expect.arrayContaining([
        'complete.entities[0].value',
        'complete.entities[1].values',
        'complete.entities[2].type',
      ]),
    );
  });

  it('render into the OutgoingMessageRequest: Complete with intent, entities, parameters; Failed with errorInfo', () => {
    const complete = renderForTarget({
      target: BOT_CONNECTOR_TARGET,
      message: { text: 'Confirmed.' },
      complete: {
        intent: 'OrderConfirmed',
        confidence: 1,
        entities: [{ name: 'orderId', type: 'String', value: '12345' }],
        parameters: { orderId: '12345' },
      },
    });
    expect(complete.body).toMatchObject({
      botState: 'Complete',
      intent: 'OrderConfirmed',
      confidence: 1,
      entities: [{ name: 'orderId', type: 'String', value: '12345' }],
      parameters: { orderId: '12345' },
    });
    const failed = renderForTarget({
      target: BOT_CONNECTOR_TARGET,
      message: { text: 'Sorry.' },
      fail: { errorCode: 'not_found', errorMessage: 'No such order.' },
    });
    expect(failed.body).toMatchObject({
      botState: 'Failed',
      errorInfo: { code: 'not_found', message: 'No such order.' },
    });
    expect(failed.body).not.toHaveProperty('intent');
  });

  it('use only fields of the SDK models', () => {
    expectTypeOf<BotConnectorBody>().toExtend<Models.OutgoingMessageRequest>();
    expectTypeOf<NonNullable<BotConnectorBody['entities']>[number]>().toExtend<Models.BotEntityValue>();
    expectTypeOf<NonNullable<BotConnectorBody['errorInfo']>>().toExtend<Models.ErrorInfo>();
    expectTypeOf<ReturnType<typeof sessionCompletion>>().toExtend<Partial<Models.OutgoingMessageRequest>>();
  });
});

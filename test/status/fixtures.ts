import { randomUUID } from 'node:crypto';
import type { StatusStore } from '../../shared/status/types';

/** A send request as the send path records it (already validated). */
export function createInput(
  messageId = `msg-${randomUUID()}`,
  overrides: Partial<Parameters<StatusStore['create']>[0]> = {},
): Parameters<StatusStore['create']>[0] {
  return {
    messageId,
    status: 'accepted',
    requestHash: 'sha256-of-the-canonical-request',
    request: {
      idempotencyKey: messageId,
      target: { kind: 'agentless', messengerType: 'whatsapp', fromAddress: 'x', toAddress: '+15550100' },
      message: { text: 'Your order has shipped.' },
    },
    targetKind: 'agentless',
    metadata: { orderId: '12345' },
    source: 'send',
    ...overrides,
  };
}

/** A clock the tests move by hand (epoch ms). */
export function manualClock(start = '2026-03-01T10:00:00.000Z') {
  let value = Date.parse(start);
  return {
    now: () => value,
    advance(ms: number) {
      value += ms;
    },
    iso: () => new Date(value).toISOString(),
  };
}

export const throttled = {
  status: 429,
  code: 'too.many.requests.retry.after',
  message: 'Rate limit exceeded the maximum',
  contextId: 'ctx-1',
  correlationId: 'corr-1',
};

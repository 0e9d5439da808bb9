import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { type ApiGatewayEvent as ApiGatewayProxyEvent, pathParameterOf } from '../../shared/http/api-gateway';
import { describeError, sortHistory, trimHistory } from '../../shared/status/history';
import { mergeStatus } from '../../shared/status/merge-status';
import { messageIdProblem } from '../../shared/status/message-id';
import type { HistoryEntry, ReceiptRecord, SendRecord } from '../../shared/status/types';
import { UpdateExpression } from '../../shared/status/update-expression';

function sendRecord(overrides: Partial<SendRecord> = {}): SendRecord {
  return {
    messageId: 'm-1',
    status: 'sent',
    requestHash: 'h',
    request: { target: { kind: 'conversation', conversationId: 'c-1', communicationId: 'k-1' } },
    targetKind: 'conversation',
    genesysMessageId: 'g-1',
    attempts: 1,
    history: [{ at: '2026-03-01T10:00:00.000Z', status: 'accepted', source: 'send' }],
    createdAt: '2026-03-01T10:00:00.000Z',
    updatedAt: '2026-03-01T10:00:01.000Z',
    ...overrides,
  };
}

function receiptRecord(overrides: Partial<ReceiptRecord> = {}): ReceiptRecord {
  return {
    genesysMessageId: 'g-1',
    status: 'delivered',
    final: true,
    history: [{ at: '2026-03-01T10:00:02Z', status: 'delivered', source: 'webhook' }],
    updatedAt: '2026-03-01T10:00:02.000Z',
    ...overrides,
  };
}

describe('mergeStatus', () => {
  it('keeps a failed send failed whatever a receipt says', () => {
    // Act
    const merged = mergeStatus(sendRecord({ status: 'failed' }), receiptRecord({ status: 'read' }));
    // Assess
    expect(merged.status).toBe('failed');
  });

  it('keeps the send status when the receipt is behind it, and takes the later updatedAt', () => {
    // Act
    const merged = mergeStatus(
      sendRecord({ updatedAt: '2026-03-01T10:00:05.000Z' }),
      receiptRecord({ status: 'sent', updatedAt: '2026-03-01T10:00:02.000Z' }),
    );
    // Assess
    expect(merged.status).toBe('sent');
    expect(merged.updatedAt).toBe('2026-03-01T10:00:05.000Z');
  });

  it('shows nextAttemptAt only while retrying, and an empty target when the request has none', () => {
    // Act
    const retrying = mergeStatus(
      sendRecord({ status: 'retrying', nextAttemptAt: '2026-03-01T10:05:00Z', request: {} }),
      undefined,
    );
    const failed = mergeStatus(
      sendRecord({ status: 'failed', nextAttemptAt: '2026-03-01T10:05:00Z' }),
      undefined,
    );
    // Assess
    expect(retrying.nextAttemptAt).toBe('2026-03-01T10:05:00Z');
    expect(retrying.target).toEqual({});
    expect(failed.nextAttemptAt).toBeUndefined();
  });
});

describe('history helpers', () => {
  it('sorts by time across ISO precisions, keeping ties in order', () => {
    // Prepare
    const entries: HistoryEntry[] = [
      { at: '2026-03-01T10:00:01.500Z', status: 'sent', source: 'send' },
      { at: '2026-03-01T10:00:01Z', status: 'accepted', source: 'send' },
      { at: '2026-03-01T10:00:01.000Z', status: 'sent', source: 'webhook' },
    ];
    // Act
    const sorted = sortHistory(entries);
    // Assess
    expect(sorted.map((entry) => `${entry.status}/${entry.source}`)).toEqual([
      'accepted/send',
      'sent/webhook',
      'sent/send',
    ]);
  });

  it('trims to the newest entries', () => {
    // Prepare
    const entries = [1, 2, 3, 4].map(
      (attempt) => ({ at: 'x', status: 'retrying', source: 'retry', attempt }) as const,
    );
    // Act / Assess
    expect(trimHistory(entries, 2).map((entry) => entry.attempt)).toEqual([3, 4]);
    expect(trimHistory(entries, 9)).toHaveLength(4);
  });

  it('summarizes a Genesys error briefly', () => {
    // Act / Assess
    expect(describeError({ message: 'socket hang up', code: 'ECONNRESET' })).toBe(
      'ECONNRESET: socket hang up',
    );
    expect(describeError({ status: 500, message: 'x'.repeat(1000) })).toHaveLength(300);
  });
});

describe('messageIdProblem', () => {
  it('accepts ordinary ids and names the problem of bad ones', () => {
    // Act / Assess
    expect(messageIdProblem('order-12345-confirm')).toBeUndefined();
    expect(messageIdProblem('a'.repeat(1024))).toBeUndefined();
    expect(messageIdProblem('é'.repeat(513))).toBe('must be at most 1024 bytes long');
    expect(messageIdProblem(42)).toBe('must be a string');
  });
});

describe('pathParameterOf', () => {
  it('keeps a REST API value that is not valid percent-encoding as it is', () => {
    // Prepare
    const event = { httpMethod: 'GET', pathParameters: { id: '100%' } } as unknown as ApiGatewayProxyEvent;
    // Act / Assess
    expect(pathParameterOf(event, 'id')).toBe('100%');
  });

  it('does not decode HTTP API values a second time', () => {
    // Prepare
    const event = { version: '2.0', pathParameters: { id: 'a%2Fb' } } as unknown as APIGatewayProxyEventV2;
    // Act / Assess
    expect(pathParameterOf(event, 'id')).toBe('a%2Fb');
  });
});

describe('UpdateExpression', () => {
  it('uses placeholders for every name and value, sharing equal primitives', () => {
    // Prepare
    const update = new UpdateExpression().set('status', 'sent').set('final', true).remove('leaseOwner');
    // Act
    const built = update.build(`${update.name('status')} <> ${update.value('sent')}`);
    // Assess
    expect(built).toEqual({
      UpdateExpression: 'SET #status = :v0, #final = :v1 REMOVE #leaseOwner',
      ConditionExpression: '#status <> :v0',
      ExpressionAttributeNames: { '#status': 'status', '#final': 'final', '#leaseOwner': 'leaseOwner' },
      ExpressionAttributeValues: { ':v0': 'sent', ':v1': true },
    });
  });
});

import { describe, expect, it } from 'vitest';
import { canonicalJson, requestHash } from '../../shared/delivery/request-hash';

describe('requestHash', () => {
  it('is the same whatever the key order and whatever the idempotency key', () => {
    // Prepare
    const a = {
      idempotencyKey: 'k1',
      target: { kind: 'conversation', conversationId: 'c', communicationId: 'm' },
      message: { text: 'hi' },
    };
    const b = {
      message: { text: 'hi' },
      target: { communicationId: 'm', conversationId: 'c', kind: 'conversation' },
      idempotencyKey: 'k2',
    };
    // Act & Assess
    expect(requestHash(a)).toBe(requestHash(b));
  });

  it('differs when any value differs, including sendAt', () => {
    // Prepare
    const base = { message: { text: 'hi' }, sendAt: '2026-12-01T09:00:00Z' };
    // Act & Assess
    expect(requestHash(base)).not.toBe(requestHash({ ...base, message: { text: 'hi!' } }));
    expect(requestHash(base)).not.toBe(requestHash({ ...base, sendAt: '2026-12-01T09:00:01Z' }));
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops undefined values like JSON does', () => {
    expect(canonicalJson({ b: [{ z: 1, a: 2 }], a: undefined, c: null })).toBe(
      '{"b":[{"a":2,"z":1}],"c":null}',
    );
  });
});

describe('atExpression', () => {
  it('gives whole UTC seconds and rounds a fraction up, so a schedule never fires early', async () => {
    // Prepare
    const { atExpression } = await import('../../shared/delivery/send-scheduler');
    // Act & Assess
    expect(atExpression('2026-12-01T09:00:00Z')).toBe('at(2026-12-01T09:00:00)');
    expect(atExpression('2026-12-01T09:00:00.001Z')).toBe('at(2026-12-01T09:00:01)');
    expect(atExpression('2026-12-01T10:00:00.500+01:00')).toBe('at(2026-12-01T09:00:01)');
  });
});

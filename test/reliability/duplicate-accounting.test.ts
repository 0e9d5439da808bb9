import { describe, expect, it } from 'vitest';
import { LATE_FOR_CLIENT, tallyDuplicates, UNEXPLAINED } from './duplicate-accounting';

describe('tallyDuplicates', () => {
  it('puts each copy beyond the kept one down to the fault that spoilt its answer, by cause and target', () => {
    // Act
    const tally = tallyDuplicates([
      { messageId: 'one', targetKind: 'conversation', copies: [{ id: 'a' }], recordedGenesysId: 'a' },
      {
        messageId: 'hung',
        targetKind: 'agentless',
        copies: [{ id: 'b', answerFault: 'hang' }, { id: 'c' }],
        recordedGenesysId: 'c',
      },
      {
        messageId: 'found',
        targetKind: 'conversation',
        copies: [{ id: 'd', answerFault: 'status 504' }],
        recordedGenesysId: 'd',
      },
      {
        messageId: 'thrice',
        targetKind: 'botConnector',
        copies: [{ id: 'e', answerFault: 'reset' }, { id: 'f', answerFault: 'latency' }, { id: 'g' }],
        recordedGenesysId: 'g',
      },
    ]);
    // Assess
    expect(tally).toMatchObject({
      total: 3,
      predicted: 3,
      byCause: { 'after accept: hang': 1, 'after accept: reset': 1, 'after accept: latency': 1 },
      byTarget: { conversation: 0, botConnector: 2, agentless: 1 },
    });
  });

  it('explains an unfaulted copy only by a client timeout on record, and flags the rest', () => {
    // Act
    const tally = tallyDuplicates([
      {
        messageId: 'late',
        targetKind: 'conversation',
        copies: [{ id: 'a' }, { id: 'b' }],
        recordedGenesysId: 'b',
        clientTimeouts: 1,
      },
      {
        messageId: 'bug',
        targetKind: 'agentless',
        copies: [{ id: 'c' }, { id: 'd' }],
        recordedGenesysId: 'd',
      },
    ]);
    // Assess
    expect(tally.total).toBe(2);
    expect(tally.predicted).toBe(1);
    expect(tally.byCause).toEqual({ [LATE_FOR_CLIENT]: 1, [UNEXPLAINED]: 1 });
  });
});

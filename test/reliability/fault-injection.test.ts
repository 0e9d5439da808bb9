import { describe, expect, it } from 'vitest';
import { formatTally, runFaultInjection } from './fault-run';

describe('fault injection: 500 sends through the local stack under random Genesys faults', () => {
  it('ends every message in exactly one final state, none lost; every copy sent twice is put down to a fault after acceptance', async () => {
    // Prepare: before acceptance 429 + Retry-After, 500, 503, hangs (1 s client timeout), resets, slow
    // answers; after acceptance hangs, resets, 502, 504, late and dripped answers; 5 permanent refusals.
    const options = { messages: 500, seed: 20_261_125, permanentRefusals: 5 };

    // Act
    const report = await runFaultInjection(options);

    // Assess
    const tally = formatTally(report);
    expect(report.lost, tally).toEqual([]);
    expect(report.unsettled, tally).toEqual([]);
    expect(report.inconsistent, tally).toEqual([]);
    expect(report.unexpectedAnswers, tally).toEqual([]);
    const { sent, delivered, read, failed, deadLettered } = report.final;
    expect(sent + delivered + read + failed + deadLettered, tally).toBe(500);
    // Sent twice: exactly what the faults after acceptance explain, split by cause and by target.
    const { duplicates } = report;
    expect(duplicates.total, tally).toBe(duplicates.predicted);
    const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);
    expect(sum(duplicates.byCause), tally).toBe(duplicates.total);
    expect(sum(duplicates.byTarget), tally).toBe(duplicates.total);
    // Conversation targets look in the conversation after an ambiguous outcome before sending again: none twice.
    expect(duplicates.byTarget.conversation, tally).toBe(0);
    expect(report.sandboxDuplicates, tally).toBe(report.sentTwice.length);
    // The faults really happened, and the permanent refusals ended failed with Genesys' reason.
    expect(report.sandbox.throttled, tally).toBeGreaterThan(0);
    expect(report.sandbox.sendCalls, tally).toBeGreaterThan(500);
    expect(sum(report.sandbox.afterAccept), tally).toBeGreaterThan(0);
    expect(
      Object.keys(report.failedByReason).some((r) => r.startsWith('Genesys refused the message: HTTP 4')),
      tally,
    ).toBe(true);
    // Receipts: every message Genesys took was read in the end (webhook → status store).
    expect(read, tally).toBe(500 - failed - deadLettered);
    // A hang is an ambiguous outcome now, tried again only once its lease (10 s here) has ended: on a busy
    // 2-core machine the run takes about 90 s.
  }, 240_000);
});

import { describe, expect, it } from 'vitest';
import { firstAnswerName, TARGETS, targetBudgets } from '../../bench/report';
import type { Round } from '../../bench/rounds';

/** One round with first-answer times (ms) and peaks (MiB) for ours, theirs and the empty handler. */
function round(ms: [number, number, number], peak: [number, number, number]): Round {
  const names = ['ours', 'theirs', 'empty'].map(firstAnswerName);
  return {
    ms: Object.fromEntries(names.map((name, i) => [name, ms[i] as number])),
    peakMiB: Object.fromEntries(names.map((name, i) => [name, peak[i] as number])),
  };
}

describe('targetBudgets', () => {
  it('works out the cut both send functions need, and says when no cut can do it', () => {
    // Prepare: first answer 200 vs 250 ms over an empty 80 ms; peak 55 vs 60 MiB over an empty 42 MiB.
    const rounds = [round([200, 250, 80], [55, 60, 42]), round([200, 250, 80], [55, 60, 42])];
    // Act
    const { rows, analysis } = targetBudgets(rounds, { ours: 'ours', empty: 'empty' }, [
      { name: 'theirs', label: 'send λ on the official SDK' },
    ]);
    // Assess: 200 − x ≤ 0.7 (250 − x) ⇒ x ≥ 83.3 ms; 55 − x ≤ 0.8 (60 − x) ⇒ x ≥ 35 MiB, more than 13 MiB.
    expect(TARGETS.firstAnswerRatio).toBe(0.7);
    expect(TARGETS.peakMemoryRatio).toBe(0.8);
    expect(rows).toEqual([
      ['first answer, vs the official SDK', '≤ 0.7', '0.32 [0.32–0.32]', '83.3 ms', '120.0 ms'],
      ['peak memory, vs the official SDK', '≤ 0.8', '0.70 [0.70–0.70]', '35.0 MiB', '13.0 MiB'],
    ]);
    expect(analysis[0]).toMatch(/needs the part both send functions share cut by 83\.3 ms, in both: 69 %/);
    expect(analysis[1]).toMatch(
      /cannot be met while both send functions share .* \(35\.0 MiB\) is more than .* \(13\.0 MiB\)/,
    );
  });

  it('reports a target already met as needing no cut', () => {
    // Act
    const { rows, analysis } = targetBudgets(
      [round([150, 250, 80], [40, 60, 38])],
      { ours: 'ours', empty: 'empty' },
      [{ name: 'theirs', label: 'send λ on the official SDK' }],
    );
    // Assess
    expect(rows.map((row) => row[3])).toEqual(['none (met)', 'none (met)']);
    expect(analysis).toEqual([]);
  });
});

import fc from 'fast-check';
import { it } from 'vitest';
import { renderForTarget, ValidationError } from '../../shared/messages';
import { requestArbitrary } from './arbitraries';
it('stats', () => {
  fc.statistics(requestArbitrary, (r) => {
    try { const x = renderForTarget(r); return `ok ${x.route}`; } catch (e) { return `refused ${(e as ValidationError).issues[0]?.message.slice(0, 40)}`; }
  }, { numRuns: 2000, logger: console.log });
});

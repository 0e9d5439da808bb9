import { describe, expect, it } from 'vitest';
import { builtOnFirstUse } from '../../shared/delivery/built-on-first-use';

describe('builtOnFirstUse', () => {
  it('builds once for every caller, concurrent ones included', async () => {
    // Prepare
    let builds = 0;
    const get = builtOnFirstUse(async () => ({ build: ++builds }));
    // Act
    const [a, b] = await Promise.all([get(), get()]);
    const c = await get();
    // Assess
    expect(builds).toBe(1);
    expect(a).toBe(b);
    expect(c).toBe(a);
  });

  it('forgets a failed build, so the next call tries again', async () => {
    // Prepare: a variable missing on the first call, set before the second
    let configured = false;
    const get = builtOnFirstUse(async () => {
      if (!configured) throw new Error('RETRY_QUEUE_URL is not set');
      return 'queue';
    });
    // Act
    const first = get();
    await expect(first).rejects.toThrow('RETRY_QUEUE_URL is not set');
    configured = true;
    // Assess
    await expect(get()).resolves.toBe('queue');
  });
});

import { describe, expect, it } from 'vitest';
import { customerHint, DEFAULT_SANDBOX_URL } from '../../local/cli/customer-command';
import { DEFAULT_PORT, sandboxPortFor } from '../../local/start-options';

describe('where npm run customer finds the sandbox', () => {
  it('defaults to the port next to the default API port, where npm start puts the sandbox', () => {
    expect(sandboxPortFor(DEFAULT_PORT)).toBe(3001);
    expect(DEFAULT_SANDBOX_URL).toBe('http://127.0.0.1:3001');
    expect(customerHint(DEFAULT_SANDBOX_URL)).toMatch(/^npm run customer -- --text hi /);
  });

  it('names the sandbox when it is elsewhere (--port 0: any free port)', () => {
    expect(sandboxPortFor(0)).toBe(0);
    expect(sandboxPortFor(65_535)).toBe(0);
    expect(customerHint('http://127.0.0.1:41234')).toMatch(
      /^npm run customer -- --sandbox http:\/\/127\.0\.0\.1:41234 --text hi /,
    );
  });
});

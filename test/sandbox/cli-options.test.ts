import { describe, expect, it } from 'vitest';
import { CliUsageError, parseCliOptions, parseRateLimit } from '../../local/sandbox/cli-options';

describe('sandbox command-line options', () => {
  it('parses every option into SandboxOptions', () => {
    // Act
    const parsed = parseCliOptions([
      '--port',
      '8787',
      '--rate-limit',
      '50/500ms',
      '--client-rate-limit',
      '3000/1m',
      '--expires-in',
      '300',
      '--webhook-url',
      'http://127.0.0.1:3000/webhooks/genesys',
      '--webhook-secret',
      'whsec',
      '--seed',
      '7',
    ]);
    // Assess
    expect(parsed).toEqual({
      help: false,
      options: {
        port: 8787,
        rateLimit: { limit: 50, windowMs: 500 },
        clientRateLimit: { limit: 3000, windowMs: 60_000 },
        tokenExpiresInSeconds: 300,
        webhook: { url: 'http://127.0.0.1:3000/webhooks/genesys', secret: 'whsec' },
        seed: 7,
      },
    });
  });

  it('reads rate limit windows in ms, s (the default unit), m and h, or off', () => {
    // Act / Assess
    expect(parseRateLimit('300/60')).toEqual({ limit: 300, windowMs: 60_000 });
    expect(parseRateLimit('300/1m')).toEqual({ limit: 300, windowMs: 60_000 });
    expect(parseRateLimit('10/2h')).toEqual({ limit: 10, windowMs: 7_200_000 });
    expect(parseRateLimit('off')).toBe(false);
  });

  it('refuses bad values naming the option', () => {
    // Act / Assess
    expect(() => parseCliOptions(['--rate-limit', 'fast'])).toThrow(/--rate-limit/);
    expect(() => parseCliOptions(['--rate-limit', '5/0s'])).toThrow(/longer than 0/);
    expect(() => parseCliOptions(['--client-rate-limit', 'lots'])).toThrow(
      /^--client-rate-limit must look like/,
    );
    expect(() => parseCliOptions(['--port', '70000'])).toThrow(
      /--port must be a whole number from 0 to 65535/,
    );
    expect(() => parseCliOptions(['--expires-in', '0'])).toThrow(/--expires-in/);
    expect(() => parseCliOptions(['--webhook-url', 'http://x'])).toThrow(/go together/);
    expect(() => parseCliOptions(['--webhook-url', 'nope', '--webhook-secret', 's'])).toThrow(/absolute URL/);
    expect(() => parseCliOptions(['--colour'])).toThrow(CliUsageError);
  });

  it('answers --help without options', () => {
    // Act / Assess
    expect(parseCliOptions(['--help'])).toEqual({ help: true });
  });
});

import { describe, expect, it } from 'vitest';
import { CliUsageError, parseCliOptions, parseRandomFaults } from '../../local/sandbox/cli-options';
import { parseStartOptions } from '../../local/start-options';

describe('fault options of npm start and npm run sandbox', () => {
  it('parses kind=probability pairs and slow=<p>:<ms>', () => {
    expect(
      parseRandomFaults('throttle=0.1, error503=0.05,reset=0.02,hang=0.01,error500=0,slow=0.2:800'),
    ).toEqual({
      throttle: 0.1,
      error503: 0.05,
      reset: 0.02,
      hang: 0.01,
      error500: 0,
      slow: { probability: 0.2, ms: 800 },
    });
  });

  it.each([
    ['throttle=2', 'probability from 0 to 1'],
    ['throttle', 'probability from 0 to 1'],
    ['boom=0.1', 'unknown kind "boom"'],
    ['slow=0.2', 'needs a delay in ms'],
    ['throttle=0.6,error503=0.6', 'add up to 1.2, over 1'],
  ])('refuses %s', (spec, reason) => {
    expect(() => parseRandomFaults(spec)).toThrow(CliUsageError);
    expect(() => parseRandomFaults(spec)).toThrow(reason);
  });

  it('reaches the sandbox from npm start and npm run sandbox', () => {
    const start = parseStartOptions([
      '--faults',
      'throttle=0.3',
      '--seed',
      '7',
      '--forward-webhook',
      'http://127.0.0.1:9/x',
    ]);
    expect(start).toMatchObject({
      help: false,
      options: { randomFaults: { throttle: 0.3 }, seed: 7, webhookForwardUrl: 'http://127.0.0.1:9/x' },
    });
    expect(parseCliOptions(['--faults', 'reset=0.5'])).toMatchObject({
      options: { randomFaults: { reset: 0.5 } },
    });
    expect(() => parseStartOptions(['--forward-webhook', 'nope'])).toThrow('--forward-webhook must be a URL');
  });
});

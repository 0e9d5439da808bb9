import { afterEach, describe, expect, it, vi } from 'vitest';

describe('countDelivery', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  it('publishes one EMF count per outcome, with the target kind as its dimension', async () => {
    // Prepare: metrics are switched off for the suite; this test turns them on and reads what they print
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'false');
    vi.stubEnv('POWERTOOLS_METRICS_NAMESPACE', 'GenesysMessagingTest');
    const lines: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    const { countDelivery } = await import('../../shared/observability/telemetry');
    // Act
    countDelivery('Throttled', 'botConnector');
    countDelivery('Sent', 'agentless');
    // Assess
    const emf = lines.filter((l) => l.includes('_aws')).map((l) => JSON.parse(l));
    expect(emf).toHaveLength(2);
    expect(emf[0]).toMatchObject({ targetKind: 'botConnector', Throttled: 1 });
    expect(emf[0]._aws.CloudWatchMetrics[0]).toMatchObject({
      Namespace: 'GenesysMessagingTest',
      Dimensions: [expect.arrayContaining(['targetKind'])],
      Metrics: [{ Name: 'Throttled', Unit: 'Count' }],
    });
    expect(emf[1]).toMatchObject({ targetKind: 'agentless', Sent: 1 });
  });
});

describe('messageLogger', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  it('labels every line with its own message id as the correlation id, even when messages interleave', async () => {
    // Prepare
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'INFO');
    const lines: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    const { messageLogger } = await import('../../shared/observability/telemetry');
    // Act
    const first = messageLogger('order-1', { attempt: 1 });
    const second = messageLogger('order-2');
    first.info('one');
    second.info('two');
    first.info('three');
    // Assess
    const logged = lines.map((l) => JSON.parse(l));
    expect(logged.map((l) => [l.message, l.correlation_id, l.messageId])).toEqual([
      ['one', 'order-1', 'order-1'],
      ['two', 'order-2', 'order-2'],
      ['three', 'order-1', 'order-1'],
    ]);
    expect(logged[0].attempt).toBe(1);
  });
});

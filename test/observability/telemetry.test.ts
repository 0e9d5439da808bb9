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

import type { FleetDrainResult } from './fleet-drain';
import type { ReportPart, Target } from './report';
import { formatTable, percent } from './table';

/** The fleet drain's section: each function's instances and pace, then what the fleet achieved against the client's limit. */
export function fleetSection(d: FleetDrainResult, targets: Target[]): ReportPart {
  const callers = (['send', 'retry', 'reconcile'] as const).map((name) => [
    name + (name === 'reconcile' ? ' (share reserved, idle here)' : ''),
    String(d.instances[name]),
    `${d.pace[name]}/min`,
    `${d.instances[name] * d.pace[name]}/min`,
  ]);
  const pacing = formatTable(
    ['function', 'instances', 'pace each', 'together'],
    [...callers, ['fleet', '', '', `${d.fleetPerMinute}/min of ${d.limits.clientPerMinute}`]],
  );
  const outcome = formatTable(
    ['measure', 'value'],
    [
      ['drain', `${d.sends} sends in ${d.drainSeconds.toFixed(1)} s${d.timedOut ? ' (bound reached)' : ''}`],
      [
        'achieved',
        `${d.achievedPerMinute.toFixed(0)}/min = ${percent(d.shareOfClientLimit)} of the client's ${d.limits.clientPerMinute}/min (running instances' paces: ${d.runningPerMinute}/min)`,
      ],
      [
        `busiest ${d.windowSeconds} s window`,
        `${d.busiestWindow.admitted} admitted, client limit ${d.busiestWindow.clientLimit}`,
      ],
      ['429s', `${d.throttled} (${d.clientThrottled} from the client limit) of ${d.genesysCalls} send calls`],
      ['tokens used', `${d.tokensUsed} (one per instance that called Genesys)`],
      ['lost / sent twice', `${d.lost} / ${d.sentTwice}`],
      [
        'not delivered at the end',
        `${d.sends - d.delivered} (pending, still being retried: ${d.notDelivered.pending}; failed: ${d.notDelivered.failed}; no record: ${d.notDelivered.missing})`,
      ],
      [
        'send answers',
        Object.entries(d.sendAnswers)
          .map(([k, n]) => `${k}: ${n}`)
          .join(', '),
      ],
      ['retry batches', String(d.retryBatches)],
      ['instance start-up', `${d.startupSeconds.toFixed(1)} s (not in the drain)`],
    ],
  );
  targets.push(
    { target: 'fleet drain: 429s', value: String(d.throttled), goal: '0', met: d.throttled === 0 },
    { target: 'fleet drain: lost', value: String(d.lost), goal: '0', met: d.lost === 0 },
    { target: 'fleet drain: sent twice', value: String(d.sentTwice), goal: '0', met: d.sentTwice === 0 },
    {
      target: 'fleet drain: busiest window under the client limit',
      value: String(d.busiestWindow.admitted),
      goal: `≤ ${d.busiestWindow.clientLimit}`,
      met: d.busiestWindow.admitted <= d.busiestWindow.clientLimit,
    },
  );
  const analysis = [
    `Fleet: ${d.runningInstances} instance processes, each with its own token and pacer, reached ${d.achievedPerMinute.toFixed(0)}/min of the OAuth client's ${d.limits.clientPerMinute}/min ceiling (their paces add up to ${d.runningPerMinute}/min; reconcile's share is held back), with ${d.throttled} 429s, ${d.lost} lost and ${d.sentTwice} sent twice.`,
  ];
  return {
    text: [
      `Fleet drain${d.paceOverridden ? ' — WHAT-IF: paces forced by --pace-per-instance, not fleetPacing' : ''} (sandbox limits ${d.limits.tokenPerMinute}/min per token, ${d.limits.clientPerMinute}/min per client, counted in ${d.windowSeconds} s windows)\n${pacing}\n\n${outcome}\n`,
    ],
    analysis,
  };
}

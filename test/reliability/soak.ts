/**
 * `npm run soak`: 10,000 sends through the local stack under random Genesys faults (see fault-run.ts),
 * then the tally. Exits 1 when a message was lost, left unsettled or inconsistent, when a copy was sent
 * twice that no fault after acceptance explains, or when a log line leaked a secret. Duplicates are reported
 * by cause and by target kind. Options: --messages N (default 10000), --seed N (default 42).
 */
import { parseArgs } from 'node:util';

// As vitest.config.ts sets them: the SDK's Node notice and EMF metric lines say nothing here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';

const { values } = parseArgs({
  options: { messages: { type: 'string', default: '10000' }, seed: { type: 'string', default: '42' } },
});
const messages = Number(values.messages);
const seed = Number(values.seed);
if (!Number.isInteger(messages) || messages <= 0 || !Number.isInteger(seed)) {
  console.error('usage: npm run soak -- [--messages N] [--seed N]   (N: positive integers)');
  process.exit(2);
}

// Imported after the environment is set: the logger and metrics read it when they are created.
const { captureOutput, findLeaks } = await import('../support/log-capture');
const { formatTally, runFaultInjection } = await import('./fault-run');

// Every log line of the run is kept (quietly) and checked for secrets at the end.
const capture = captureOutput();
const say = (line: string) => capture.writeThrough(`[soak] ${line}\n`);
say(`sending ${messages} messages (seed ${seed})…`);
let report: Awaited<ReturnType<typeof runFaultInjection>>;
try {
  report = await runFaultInjection({
    messages,
    seed,
    sendConcurrency: 32,
    // About 180 receipt connections a second: the loopback ephemeral ports stay far from running out.
    sendRatePerSecond: 60,
    settleTimeoutMs: 180_000,
    onProgress: say,
  });
} finally {
  capture.stop();
}
const leaks = findLeaks(capture.text());
console.log(formatTally(report));
console.log(
  `  ${'log lines checked / holding a secret'.padEnd(60)} ${`${capture.text().split('\n').length - 1}/${leaks.length}`.padStart(8)}`,
);
for (const leak of leaks.slice(0, 10)) console.log(`    [${leak.why}] ${leak.line.slice(0, 300)}`);

const failed =
  report.lost.length +
  report.unsettled.length +
  (report.duplicates.total === report.duplicates.predicted ? 0 : 1) +
  report.inconsistent.length +
  report.unexpectedAnswers.length +
  leaks.length;
process.exit(failed === 0 ? 0 : 1);

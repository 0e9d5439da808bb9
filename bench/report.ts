import { describeChain, topContributors } from './bundle-report';
import {
  type BuiltBundle,
  OFFICIAL_SDK_TARGET,
  SEND_WITHOUT_AXIOS,
  SEND_WITHOUT_RETRY_CLIENTS,
  ZOD_IMPORT_STYLES,
} from './bundles';
import type { ColdImportResult } from './cold-import';
import { formatTable, kb, ms, percent, times } from './table';
import type { DrainResult } from './throttled-drain';
import type { WarmSendResult } from './warm-send';

/** The issue's targets (README "Performance"). */
export const TARGETS = {
  coldImportRatio: 0.35,
  sendBundleBytes: 600 * 1024,
  warmRatio: 1.1,
  tokenRequests: 1,
  drainShareOfLimit: 0.95,
  drainThrottledShare: 0.05,
} as const;

export interface ColdFigures {
  runs: number;
  /** Absolute median of importing an empty module: node start-up and its ES module loader. */
  bareMs: number;
  /** Median minus bare, per bundle name. */
  byName: Record<string, number>;
  raw: ColdImportResult[];
}

/** One line of the send bundle's top contributors, its import path as text. */
export interface SendContributor {
  name: string;
  bytes: number;
  share: number;
  via: string;
}

export interface Target {
  target: string;
  value: string;
  goal: string;
  met: boolean;
}

/** Text sections of the printed report and the analysis lines they lead to; targets are appended to `targets`. */
export interface ReportPart {
  text: string[];
  analysis: string[];
}

/** A signed difference in ms, e.g. `−22.1 ms` or `+0.3 ms`. */
function signedMs(difference: number): string {
  return `${difference < 0 ? '−' : '+'}${ms(Math.abs(difference))}`;
}

/** A signed difference in µs, e.g. `+12 µs` or `−30 µs`. */
function microseconds(differenceMs: number): string {
  const us = Math.round(differenceMs * 1000);
  return `${us < 0 ? '−' : '+'}${Math.abs(us)} µs`;
}

export function section(title: string, table: string): string {
  return `${title}\n${table}\n`;
}

export function bundleSections(
  built: BuiltBundle[],
  cold: ColdFigures | undefined,
  targets: Target[],
): ReportPart & { sendContributors?: SendContributor[] } {
  const text: string[] = [];
  const analysis: string[] = [];
  let sendContributors: SendContributor[] | undefined;
  const coldMs = (name: string) => cold?.byName[name] ?? Number.NaN;
  const coldCell = (name: string) => (cold === undefined ? '—' : ms(coldMs(name)));
  const byName = new Map(built.map((bundle) => [bundle.name, bundle]));
  const send = byName.get('send');
  const theirs = byName.get(OFFICIAL_SDK_TARGET.name);

  const functionRows = built
    .filter((bundle) => bundle.kind === 'function' || bundle.kind === 'fixture')
    .map((bundle) => [bundle.label, kb(bundle.bytes), coldCell(bundle.name)]);
  if (cold !== undefined)
    functionRows.push(['bare node (import of an empty module), absolute', '', ms(cold.bareMs)]);
  text.push(
    section(
      `Bundles (cdk/bundling.ts settings); cold import = median of ${cold?.runs ?? '—'} fresh node processes, minus bare node`,
      formatTable(['bundle', 'size', 'cold import'], functionRows),
    ),
  );
  if (send !== undefined) {
    targets.push({
      target: 'send bundle size',
      value: kb(send.bytes),
      goal: `≤ ${kb(TARGETS.sendBundleBytes)}`,
      met: send.bytes <= TARGETS.sendBundleBytes,
    });
  }
  if (cold !== undefined && send !== undefined && theirs !== undefined) {
    const ratio = coldMs(send.name) / coldMs(theirs.name);
    targets.push({
      target: 'cold import, send λ / official-SDK send λ',
      value: times(ratio),
      goal: `≤ ${TARGETS.coldImportRatio} ×`,
      met: ratio <= TARGETS.coldImportRatio,
    });
  }

  const layers = built.filter((bundle) => bundle.kind === 'layer');
  const whatIfs = [SEND_WITHOUT_AXIOS, SEND_WITHOUT_RETRY_CLIENTS].flatMap((t) => byName.get(t.name) ?? []);
  if (layers.length > 0 && send !== undefined) {
    const ladder = [...layers, send];
    const added = (index: number) => {
      const bundle = ladder[index] as BuiltBundle;
      const previous = ladder[index - 1];
      return coldMs(bundle.name) - (previous === undefined ? 0 : coldMs(previous.name));
    };
    const rows = ladder.map((bundle, index) => [
      bundle === send ? '= send λ (+ Genesys client, handler)' : bundle.label,
      kb(bundle.bytes),
      coldCell(bundle.name),
      cold === undefined ? '—' : ms(added(index)),
    ]);
    for (const whatIf of whatIfs) {
      rows.push([
        whatIf.label,
        kb(whatIf.bytes),
        coldCell(whatIf.name),
        cold === undefined ? '—' : `${signedMs(coldMs(whatIf.name) - coldMs(send.name))} vs send λ`,
      ]);
    }
    text.push(
      section(
        'Where the send λ cold import goes: each layer bundled with those above it ("added" = its own cost)',
        formatTable(['layer', 'size', 'cold import', 'added'], rows),
      ),
    );
    if (cold !== undefined) {
      const largest = ladder
        .map((bundle, index) => ({
          label: bundle === send ? 'Genesys client + handler' : bundle.label.replace(/^\+ /, ''),
          ms: added(index),
        }))
        .sort((a, b) => b.ms - a.ms)
        .slice(0, 3);
      analysis.push(
        `Send λ cold import ${ms(coldMs(send.name))} over bare node; largest layers: ${largest
          .map((c) => `${c.label} ${ms(c.ms)}`)
          .join(', ')}.`,
      );
      const shared = layers.find((layer) => layer.name === 'layer-5-credentials');
      if (theirs !== undefined && shared !== undefined) {
        const oursGenesys = coldMs(send.name) - coldMs(shared.name);
        const theirsGenesys = coldMs(theirs.name) - coldMs(shared.name);
        analysis.push(
          `Both send λs share layers 1–5 (${ms(coldMs(shared.name))}: validation, logging, DynamoDB, delivery, credentials); the Genesys part on top costs ${ms(
            oursGenesys,
          )} for ours (mostly axios) and ${ms(theirsGenesys)} for the official SDK (${kb(theirs.bytes)}, one default export that builds every API class, so nothing tree-shakes). The shared layers bound the whole-handler ratio: with a Genesys part of 0 ms ours would be ${times(
            coldMs(shared.name) / coldMs(theirs.name),
          )} theirs.`,
        );
      }
      for (const whatIf of whatIfs) {
        const saved = coldMs(send.name) - coldMs(whatIf.name);
        analysis.push(
          `What-if "${whatIf.label.replace(/ \(what-if\)$/, '')}": ${kb(send.bytes)} → ${kb(whatIf.bytes)}, cold import ${signedMs(-saved)}.`,
        );
      }
    }
  }

  const zodStyles = ZOD_IMPORT_STYLES.flatMap((t) => byName.get(t.name) ?? []);
  if (zodStyles.length > 0) {
    text.push(
      section(
        'zod import style (a one-schema module)',
        formatTable(
          ['import', 'size', 'cold import'],
          zodStyles.map((bundle) => [bundle.label, kb(bundle.bytes), coldCell(bundle.name)]),
        ),
      ),
    );
  }

  if (send !== undefined) {
    const contributors = topContributors(send.metafile, send.output, 10);
    sendContributors = contributors.map((c) => ({ ...c, via: describeChain(c.via) }));
    text.push(
      section(
        'Send bundle: top contributors (esbuild metafile; more: npx tsx bench/bundle-report.ts send)',
        formatTable(
          ['package or folder', 'bytes', 'share', 'pulled in by'],
          contributors.map((c) => [
            c.name,
            kb(c.bytes),
            percent(c.share),
            describeChain(c.via.slice(0, -1)).split(' → ').slice(-2).join(' → '),
          ]),
        ),
      ),
    );
    const axiosFamily = contributors.filter((c) => describeChain(c.via).includes('→ axios'));
    if (axiosFamily.length > 0) {
      const bytes = axiosFamily.reduce((sum, c) => sum + c.bytes, 0);
      analysis.push(
        `axios and what it pulls in (${axiosFamily.map((c) => c.name).join(', ')} among the top 10) weigh ${kb(
          bytes,
        )} of the send bundle (${percent(bytes / send.bytes, 0)})${
          axiosFamily.some((c) => c.name === 'mime-db')
            ? '; mime-db comes through form-data, for multipart uploads we never make'
            : ''
        }.`,
      );
    }
  }
  return { text, analysis, ...(sendContributors !== undefined && { sendContributors }) };
}

export function warmSection(warm: WarmSendResult, targets: Target[]): ReportPart {
  const rows = [
    ['ours: render + GenesysClient.request', ms(warm.ours.p50Ms, 3), ms(warm.ours.p99Ms, 3)],
    ['raw axios.post, token fetched beforehand', ms(warm.raw.p50Ms, 3), ms(warm.raw.p99Ms, 3)],
    ['ratio ours / raw', times(warm.ratioP50), times(warm.ratioP99)],
    [
      `whole send handler on dynalite (${warm.handler.sends} sends, no target)`,
      ms(warm.handler.p50Ms, 2),
      ms(warm.handler.p99Ms, 2),
    ],
  ];
  targets.push(
    {
      target: 'warm send p50, ours / raw axios',
      value: times(warm.ratioP50),
      goal: `≤ ${TARGETS.warmRatio} ×`,
      met: warm.ratioP50 <= TARGETS.warmRatio,
    },
    {
      target: 'warm send p99, ours / raw axios',
      value: times(warm.ratioP99),
      goal: `≤ ${TARGETS.warmRatio} ×`,
      met: warm.ratioP99 <= TARGETS.warmRatio,
    },
    {
      target: 'token requests over all warm sends',
      value: String(warm.tokenRequests),
      goal: `exactly ${TARGETS.tokenRequests}`,
      met: warm.tokenRequests === TARGETS.tokenRequests,
    },
  );
  return {
    text: [
      section(
        `Warm send against the sandbox (no rate limit; ${warm.requests} calls per side, interleaved)`,
        formatTable(['path', 'p50', 'p99'], rows),
      ),
    ],
    analysis: [
      `Warm send: ours ${times(warm.ratioP50)} a raw axios POST at p50 (${microseconds(
        warm.ours.p50Ms - warm.raw.p50Ms,
      )}: render, token cache, pacer bookkeeping, classification; our instance sets maxRedirects 0, which keeps axios off its follow-redirects transport, the raw POST's default); ${
        warm.tokenRequests
      } token request for ${warm.ourCalls} calls of our client.`,
    ],
  };
}

export function drainSection(drains: DrainResult[], targets: Target[]): ReportPart {
  const first = drains[0];
  if (first === undefined) return { text: [], analysis: [] };
  const rows = drains.map((d) => [
    d.variant + (d.paceRatePerSecond !== undefined ? ` @ ${d.paceRatePerSecond}/s` : ''),
    `${d.drainSeconds.toFixed(1)} s${d.timedOut ? ' (bound)' : ''}`,
    `${d.achievedRate.toFixed(1)}/s`,
    percent(d.shareOfLimit),
    `${d.throttled} (${percent(d.throttledShare)})`,
    String(d.lost),
    String(d.sentTwice),
    `${d.latency.p50Seconds.toFixed(1)} / ${d.latency.p99Seconds.toFixed(1)} s`,
    ms(d.eventLoopDelayMs.max, 0),
  ]);
  const analysis: string[] = [];
  for (const d of drains) {
    targets.push(
      {
        target: `drain ${d.variant}: share of the limit`,
        value: percent(d.shareOfLimit),
        goal: `≥ ${percent(TARGETS.drainShareOfLimit, 0)}`,
        met: d.shareOfLimit >= TARGETS.drainShareOfLimit,
      },
      {
        target: `drain ${d.variant}: calls answered 429`,
        value: percent(d.throttledShare),
        goal: `≤ ${percent(TARGETS.drainThrottledShare, 0)}`,
        met: d.throttledShare <= TARGETS.drainThrottledShare,
      },
      { target: `drain ${d.variant}: lost`, value: String(d.lost), goal: '0', met: d.lost === 0 },
      {
        target: `drain ${d.variant}: sent twice`,
        value: String(d.sentTwice),
        goal: '0',
        met: d.sentTwice === 0,
      },
    );
    const ideal = d.sends / (d.paceRatePerSecond ?? d.ratePerSecond);
    analysis.push(
      `Drain ${d.variant}: ${d.genesysCalls} Genesys calls for ${d.delivered} messages, ${d.throttled} answered 429; ${d.drainSeconds.toFixed(
        0,
      )} s against ${ideal.toFixed(0)} s at the ${d.paceRatePerSecond === undefined ? 'limit' : 'pacing rate'}${
        d.variant !== 'unpaced' && d.throttled > 0
          ? `: every 429 holds the whole process for its Retry-After (whole seconds, at least 1: ${d.ratePerSecond} slots or more)`
          : ''
      }. Sends answered ${Object.entries(d.sendAnswers)
        .map(([answer, count]) => `${count} × ${answer}`)
        .join(', ')}${d.lost > 0 ? `; not delivered: ${JSON.stringify(d.notDelivered)}` : ''}.`,
    );
  }
  const paced = drains.find((d) => d.variant === 'paced');
  const spaced = drains.find((d) => d.variant === 'paced-start-spacing');
  if (paced !== undefined && spaced !== undefined && paced.throttled > spaced.throttled) {
    analysis.push(
      `The same pacer with calls that never start closer than 1/rate has ${spaced.throttled} 429s instead of ${paced.throttled} (${percent(
        spaced.shareOfLimit,
      )} of the limit instead of ${percent(paced.shareOfLimit)}): pacing slots are timers, and a timer that fires late (event-loop lag up to ${ms(
        paced.eventLoopDelayMs.max,
        0,
      )} here, network jitter in production) bunches the next calls, which a per-token window counts as one call too many.`,
    );
  }
  return {
    text: [
      section(
        `Throttled drain: ${first.sends} sends at once (${first.sendConcurrency} callers) through send + retry (fauxqs, ${first.retryConcurrency} pollers), sandbox limit ${first.ratePerSecond}/s per token`,
        formatTable(
          ['variant', 'drain', 'rate', 'of limit', '429s', 'lost', 'twice', 'wait p50/p99', 'loop lag max'],
          rows,
        ),
      ),
    ],
    analysis,
  };
}

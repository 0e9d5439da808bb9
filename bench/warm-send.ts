import './bench-environment';
import axios from 'axios';
import { RatePacer } from '../shared/genesys/rate-pacer';
import { renderForTarget } from '../shared/messages/render';
import { parseSendRequest } from '../shared/messages/send-request';
import { handleSendEvent } from '../shared/send-api/handle-send-event';
import { BENCH_CLIENT, startBenchStack } from './bench-stack';
import { elapsedMs, percentile } from './stats';

export interface WarmSendOptions {
  /** Timed calls per side for the client comparison. */
  requests: number;
  /** Untimed calls per side first (JIT, sockets, token). */
  warmup: number;
  /** Timed sends through the whole send handler (dynalite). */
  handlerSends: number;
}

export const DEFAULT_WARM_SEND: WarmSendOptions = { requests: 5000, warmup: 300, handlerSends: 500 };

export interface Latency {
  p50Ms: number;
  p99Ms: number;
}

export interface WarmSendResult {
  requests: number;
  /** render + GenesysClient.request (token cache, pacer, classification). */
  ours: Latency;
  /** axios.post of the pre-rendered body with a token fetched beforehand. */
  raw: Latency;
  ratioP50: number;
  ratioP99: number;
  /** Token requests the sandbox saw from our client over every warm send (client and handler). */
  tokenRequests: number;
  /** Genesys calls our client made meanwhile, warm-ups included. */
  ourCalls: number;
  handler: Latency & { sends: number };
}

/** A card with two postbacks to a bot connector session: the richest common body. */
function sendRequest(idempotencyKey?: string) {
  return {
    ...(idempotencyKey !== undefined && { idempotencyKey }),
    target: {
      kind: 'botConnector',
      botId: 'bench-bot',
      botVersion: '1',
      botSessionId: 'bench-session',
      languageCode: 'en-us',
    },
    message: {
      card: {
        title: 'Order Confirmation',
        description: 'Would you like to confirm your order #12345?',
        actions: [
          { type: 'postback', text: 'Yes', payload: 'confirmed_yes' },
          { type: 'postback', text: 'No', payload: 'confirmed_no' },
        ],
      },
    },
  };
}

function latency(samples: readonly number[]): Latency {
  return { p50Ms: percentile(samples, 50), p99Ms: percentile(samples, 99) };
}

/**
 * Warm send against the sandbox (no rate limit): (a) our client vs a raw axios POST to the same endpoint,
 * interleaved call by call so both sides share the machine's noise; (b) the whole send handler with its
 * DynamoDB writes on dynalite (reported, no target: dynalite on one machine is not DynamoDB).
 */
export async function runWarmSend(options: WarmSendOptions = DEFAULT_WARM_SEND): Promise<WarmSendResult> {
  const stack = await startBenchStack({ rateLimit: false });
  try {
    const sandboxUrl = stack.sandbox.url;
    // Production clients have a pacer. An unbounded rate keeps its bookkeeping in the measured path but never
    // makes a call wait (waiting for a slot is policy, not overhead; a finite rate this fast would still turn
    // sub-millisecond waits into 1 ms timers).
    const genesys = stack.genesysClient({ pacer: new RatePacer(Number.POSITIVE_INFINITY) });
    const request = parseSendRequest(sendRequest());
    const prepared = renderForTarget(request);

    const basic = Buffer.from(`${BENCH_CLIENT.clientId}:${BENCH_CLIENT.clientSecret}`).toString('base64');
    const tokenAnswer = await axios.post<{ access_token: string }>(
      `${sandboxUrl}/oauth/token`,
      'grant_type=client_credentials',
      { headers: { Authorization: `Basic ${basic}`, 'Content-Type': 'application/x-www-form-urlencoded' } },
    );
    const rawToken = tokenAnswer.data.access_token;
    const before = await stack.sandbox.stats();

    const ours = async () => {
      const rendered = renderForTarget(request);
      const outcome = await genesys.request('POST', rendered.path, rendered.body);
      if (outcome.kind !== 'sent') throw new Error(`our client did not send: ${JSON.stringify(outcome)}`);
    };
    const raw = async () => {
      const answer = await axios.post(`${sandboxUrl}${prepared.path}`, prepared.body, {
        headers: { Authorization: `Bearer ${rawToken}` },
      });
      if (answer.status !== 200) throw new Error(`the raw POST got HTTP ${answer.status}`);
    };
    const timed = async (call: () => Promise<void>, into: number[]) => {
      const started = process.hrtime.bigint();
      await call();
      into.push(elapsedMs(started));
    };

    const oursMs: number[] = [];
    const rawMs: number[] = [];
    for (let i = 0; i < options.warmup; i++) {
      await ours();
      await raw();
    }
    for (let i = 0; i < options.requests; i++) {
      // Alternate who goes first: a socket or GC hiccup after one call must not always land on the other.
      if (i % 2 === 0) {
        await timed(ours, oursMs);
        await timed(raw, rawMs);
      } else {
        await timed(raw, rawMs);
        await timed(ours, oursMs);
      }
    }

    const delivery = stack.delivery(genesys);
    const handlerMs: number[] = [];
    const warmupSends = Math.min(50, options.handlerSends);
    for (let i = 0; i < warmupSends + options.handlerSends; i++) {
      const started = process.hrtime.bigint();
      const answer = await handleSendEvent(sendRequest(`warm-${i}`), {}, { delivery });
      const ms = elapsedMs(started);
      const result = answer as { status?: unknown; statusCode?: unknown };
      if (result.status !== 'sent')
        throw new Error(`the send handler did not send: ${JSON.stringify(answer)}`);
      if (i >= warmupSends) handlerMs.push(ms);
    }

    const after = await stack.sandbox.stats();
    const oursLatency = latency(oursMs);
    const rawLatency = latency(rawMs);
    return {
      requests: options.requests,
      ours: oursLatency,
      raw: rawLatency,
      ratioP50: oursLatency.p50Ms / rawLatency.p50Ms,
      ratioP99: oursLatency.p99Ms / rawLatency.p99Ms,
      tokenRequests: after.requests.token - before.requests.token,
      ourCalls: options.warmup + options.requests + warmupSends + options.handlerSends,
      handler: { sends: options.handlerSends, ...latency(handlerMs) },
    };
  } finally {
    await stack.close();
  }
}

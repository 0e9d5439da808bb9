/** `npm start` / `npm run demo`: the local stack, its demo, and a clean stop on Ctrl+C. */

import { ENV } from '../shared/config/environment';
import { runBotStory } from './bot-story';
import { customerHint } from './cli/customer-command';
import { runDemo } from './demo';
import {
  describeGenesysHosts,
  type GenesysTarget,
  GenesysTargetError,
  resolveGenesysTarget,
} from './genesys-target';
import {
  DEFAULT_LOCAL_RATE_LIMIT,
  type LocalStack,
  type LocalStackEvent,
  startLocalStack,
  WEBHOOK_PATH,
} from './local-stack';
import type { RateLimit } from './sandbox';
import { CliUsageError, parseStartOptions, START_USAGE, sandboxPortFor } from './start-options';

let demoDone = false;

/** The exit code, or undefined to stay up until Ctrl+C. */
async function main(): Promise<number | undefined> {
  const parsed = parseStartOptions(process.argv.slice(2));
  if (parsed.help) {
    console.log(START_USAGE);
    return 0;
  }
  const { options } = parsed;
  const target = await resolveGenesysTarget({
    env: process.env,
    sandbox: options.sandbox,
    ...(options.secretFile !== undefined && { secretFile: options.secretFile }),
  });
  for (const note of target.notes) console.error(`note: ${note}`);
  if (target.kind === 'real' && options.demo === 'run-and-exit') {
    throw new CliUsageError(
      "--demo sends to the sandbox's made-up bot sessions and conversations: with a real Genesys org, " +
        'start without --demo and send your own requests with npm run send -- <request.json>',
    );
  }

  // Read before the stack sets the handlers' environment (which includes WEBHOOK_SECRET).
  const webhookSecret = process.env[ENV.webhookSecret] || undefined;
  const botConnectorSecret = process.env[ENV.botConnectorSecret] || undefined;
  const botConnectorSecretHeader = process.env[ENV.botConnectorSecretHeader] || undefined;
  const stack = await startLocalStack({
    ...(botConnectorSecret !== undefined && { botConnectorSecret }),
    ...(botConnectorSecretHeader !== undefined && { botConnectorSecretHeader }),
    port: options.port,
    sandboxPort: sandboxPortFor(options.port),
    ...(target.kind === 'real' && { genesys: target.credentials }),
    ...(options.rateLimit !== undefined && { rateLimit: options.rateLimit }),
    ...(options.randomFaults !== undefined && { randomFaults: options.randomFaults }),
    ...(options.seed !== undefined && { seed: options.seed }),
    ...(options.webhookForwardUrl !== undefined && { webhookForwardUrl: options.webhookForwardUrl }),
    ...(webhookSecret !== undefined && { webhookSecret }),
    logLevel: options.verbose ? 'INFO' : 'WARN',
    onEvent: (event) => report(event, options.verbose || demoDone),
  });
  stopOnSignals(stack);
  console.log(
    describeStack(stack, target, options.rateLimit ?? DEFAULT_LOCAL_RATE_LIMIT, {
      webhook: webhookSecret !== undefined,
      botConnector: botConnectorSecret !== undefined,
    }),
  );

  let exitCode = 0;
  if (options.demo !== 'skip' && target.kind === 'sandbox') {
    // The story prints its own events; afterwards (and with --verbose) the stand-in's events are shown.
    console.log('\n── Demo ─────────────────────────────────────────────────────────────────────\n');
    const demo = await runDemo({
      apiUrl: stack.urls.api,
      tty: process.stdout.isTTY === true,
      ...(stack.sandbox !== undefined && { sandbox: stack.sandbox }),
    });
    const allRead = demo.outcomes.every((outcome) => outcome.final?.status === 'read');
    console.log('\n── Demo: the bot connector story ────────────────────────────────────────────\n');
    const story =
      stack.sandbox !== undefined
        ? await runBotStory({
            apiUrl: stack.urls.api,
            sandbox: stack.sandbox,
            eventBridge: stack.eventBridge,
          })
        : { ok: false };
    exitCode = demo.complete && allRead && story.ok ? 0 : 1;
  } else if (options.demo !== 'skip') {
    console.log('\nNo demo with a real Genesys org: its targets are made up for the sandbox.');
  }

  demoDone = true;
  if (options.demo === 'run-and-exit') {
    await stack.stop();
    return exitCode;
  }
  const example = options.demo === 'skip' || target.kind === 'real' ? '<message id>' : 'order-12345-confirm';
  console.log(`
The stack stays up. Try it:
  npm run send -- <request.json> --url ${stack.urls.api}
  curl -s ${stack.urls.api}/messages/${example}
Press Ctrl+C to stop.`);
  return undefined;
}

/**
 * Ctrl+C (or SIGTERM), also during the demo: stops the poller, the scheduler and every server, then ends
 * the process. A second Ctrl+C exits without waiting.
 */
function stopOnSignals(stack: LocalStack): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      console.error(`\n${signal} again: exiting without waiting`);
      process.exit(130);
    }
    stopping = true;
    console.error(`\n${signal}: stopping the local stack…`);
    stack.stop().then(
      () => {
        console.error('stopped.');
        process.exit(0);
      },
      (error: unknown) => {
        console.error(
          'the local stack did not stop cleanly:',
          error instanceof Error ? error.message : error,
        );
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

function report(event: LocalStackEvent, verbose: boolean): void {
  if (event.type === 'error') {
    const message = event.error instanceof Error ? event.error.message : String(event.error);
    console.error(`error in ${event.where}: ${message}`);
    return;
  }
  if (event.type === 'bot-event' && verbose) {
    // The EventBridge stand-in shows what a rule on the bus would receive.
    const { source, detail } = event.event;
    const { conversationId, text, buttonResponse } = detail as Record<string, unknown>;
    console.log(
      `eventbridge  ${event.event['detail-type']} from ${source}: conversation ${String(conversationId)}, ${
        buttonResponse !== undefined
          ? `button ${JSON.stringify(buttonResponse)}`
          : `text ${JSON.stringify(text)}`
      }`,
    );
    return;
  }
  if (!verbose || event.type === 'bot-event') return;
  if (event.type === 'request') {
    const { method, path, status, ms } = event.request;
    console.error(`api  ${method} ${path} → ${status} (${ms} ms)`);
  } else {
    const { type, name } = event.event;
    const detail =
      event.event.type === 'created'
        ? ` for ${event.event.fireAt}`
        : event.event.type === 'invoke-failed'
          ? `: ${event.event.error}`
          : '';
    console.error(`scheduler  ${type} ${name}${detail}`);
  }
}

function describeStack(
  stack: LocalStack,
  target: GenesysTarget,
  rateLimit: RateLimit | false,
  fromEnv: { webhook: boolean; botConnector: boolean },
): string {
  const { urls } = stack;
  const lines = [
    `Local stack ready (${stack.genesys.mode === 'sandbox' ? 'Genesys sandbox' : 'real Genesys org'}), all on 127.0.0.1:`,
    '',
    `  API (API Gateway REST, v1 events)  ${urls.api}`,
    `      POST ${urls.api}/messages`,
    `      GET  ${urls.api}/messages/{id}`,
    `      POST ${urls.api}${WEBHOOK_PATH}   (X-Hub-Signature-256 with the webhook secret)`,
    `  Bot connector URI                  ${urls.botConnector}   (for the Digital Bot Connector integration)`,
    `      GET  ${urls.botConnector}/bots, GET ${urls.botConnector}/bots/{botId}, POST ${urls.botConnector}/messages`,
    `      connection secret header: ${stack.botConnector.secretHeader}`,
  ];
  if (urls.sandbox !== undefined) {
    const limit =
      rateLimit === false
        ? 'no rate limit'
        : `${rateLimit.limit} requests per ${rateLimit.windowMs / 1000} s per token`;
    lines.push(
      `  Genesys sandbox                    ${urls.sandbox}   (${limit}; signed receipts → the webhook)`,
      `      play the bot's customer: ${customerHint(urls.sandbox)}`,
    );
  } else if (target.kind === 'real') {
    lines.push(
      `  Genesys                            region ${target.credentials.region} (credentials: ${target.source})`,
      `                                     ${describeGenesysHosts(target.credentials.region, process.env)}`,
    );
  }
  lines.push(
    `  DynamoDB (dynalite)                ${urls.dynamodb}   table ${stack.tableName}`,
    `  SQS (fauxqs)                       ${urls.sqs}   retry queue + DLQ, polled for the retry function`,
    `  EventBridge Scheduler (stand-in)   ${urls.scheduler}   one-time schedules for sendAt`,
    `  EventBridge (stand-in)             ${urls.eventBridge}   bus ${stack.botConnector.busName}: customer messages`,
    '',
    'Credentials (local values shown; a real secret never is):',
  );
  if (stack.genesys.mode === 'sandbox') {
    lines.push(
      `  Genesys sandbox client  id ${stack.genesys.clientId}, secret ${stack.genesys.clientSecret}, region ${stack.genesys.region}`,
    );
  } else {
    lines.push(
      `  Genesys client          id ${stack.genesys.clientId}, secret not shown, region ${stack.genesys.region}`,
    );
  }
  lines.push(
    `  Webhook secret          ${fromEnv.webhook ? '(from WEBHOOK_SECRET, not shown)' : stack.webhookSecret}`,
    `  Bot connector secret    header ${stack.botConnector.secretHeader}, value ${
      fromEnv.botConnector ? '(from BOT_CONNECTOR_SECRET, not shown)' : stack.botConnector.secret
    }`,
    '  AWS                     access key "local", secret "local" (the emulators check none)',
  );
  if (stack.genesys.mode === 'real') {
    lines.push(
      '',
      'Receipts: Genesys cannot reach 127.0.0.1. To get delivery receipts, expose the webhook through a tunnel,',
      "set it as the Open Messaging integration's outbound webhook, and set WEBHOOK_SECRET to its secret.",
    );
  }
  return lines.join('\n');
}

main().then(
  (code) => {
    if (code !== undefined) process.exit(code);
  },
  (error: unknown) => {
    if (error instanceof CliUsageError) {
      console.error(`${error.message}\n\n${START_USAGE}`);
      process.exit(2);
    }
    if (error instanceof GenesysTargetError) {
      console.error(error.message);
      process.exit(2);
    }
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      console.error(
        `a port is already in use (${(error as Error).message}): pass --port <n>, or --port 0 for any free port`,
      );
      process.exit(1);
    }
    console.error('the local stack failed:', error instanceof Error ? error.message : error);
    process.exit(1);
  },
);

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LOCAL_AWS } from '../local/fauxqs-queues';
import { ENV } from '../shared/config/environment';
import { type DynaliteHandle, startDynalite } from '../test/support/dynalite';
import { BUNDLES_DIR } from './bundles';
import { type RemoteSandbox, startSandboxProcess } from './sandbox-process';

/** The sandbox's OAuth client for first answers (a local value, not a secret). */
const CLIENT = { clientId: 'first-answer-client', clientSecret: 'first-answer-client-secret' };

/**
 * Run in a fresh node process per sample: imports a send handler bundle, hands it one API Gateway
 * `POST /messages` event, checks the answer is 202 (sent through the sandbox, recorded in dynalite) and
 * prints the process's peak memory; it exits at once, so the parent's spawn-to-exit time is "process start
 * to first answer" plus an exit, as for cold imports.
 */
const RUNNER = `
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
const bundle = process.argv[2];
// As Lambda loads handlers: require for CommonJS, import for ES modules (bench/rounds.ts loadExpression).
const module = bundle.endsWith('.cjs')
  ? createRequire(import.meta.url)(fileURLToPath(bundle))
  : await import(bundle);
const handler = module.handler ?? module.default?.handler;
const body = JSON.stringify({
  target: { kind: 'agentless', messengerType: 'sms', fromAddress: '+15550100', toAddress: '+15550101' },
  message: { text: 'first answer' },
});
const event = {
  httpMethod: 'POST', path: '/messages', resource: '/messages', isBase64Encoded: false, body,
  headers: { 'content-type': 'application/json' }, requestContext: { requestId: 'first-answer' },
};
const context = {
  functionName: 'send', functionVersion: '$LATEST', memoryLimitInMB: '512',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:send',
  awsRequestId: 'first-answer', logGroupName: '/aws/lambda/send', logStreamName: 'first-answer',
  callbackWaitsForEmptyEventLoop: true, getRemainingTimeInMillis: () => 25000,
};
const answer = await handler(event, context);
if (answer?.statusCode !== 202) {
  console.error('expected 202, got ' + JSON.stringify(answer));
  process.exit(3);
}
process.stdout.write(JSON.stringify({ maxRssKb: process.resourceUsage().maxRSS }) + '\\n', () => process.exit(0));
`;

export interface FirstAnswerEnvironment {
  /** The runner script: `node <runner> <bundle URL>`. */
  runner: string;
  /** The environment the send function gets, pointing at the sandbox and dynalite. */
  env: NodeJS.ProcessEnv;
  close(): Promise<void>;
}

/** The sandbox (own process, no rate limit) and dynalite (with the status table) for first-answer runs. */
export async function startFirstAnswerEnvironment(): Promise<FirstAnswerEnvironment> {
  let sandbox: RemoteSandbox | undefined;
  let dynamo: DynaliteHandle | undefined;
  try {
    sandbox = await startSandboxProcess({ clients: [CLIENT], rateLimit: false });
    dynamo = await startDynalite();
    const table = await dynamo.createStatusTable();
    mkdirSync(BUNDLES_DIR, { recursive: true });
    const runner = join(BUNDLES_DIR, 'first-answer-runner.mjs');
    writeFileSync(runner, RUNNER);
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_OPTIONS: '',
      AWS_REGION: LOCAL_AWS.region,
      AWS_ACCESS_KEY_ID: LOCAL_AWS.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_AWS.credentials.secretAccessKey,
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      [ENV.statusTableName]: table,
      [ENV.genesysClientId]: CLIENT.clientId,
      [ENV.genesysClientSecret]: CLIENT.clientSecret,
      [ENV.genesysRegion]: LOCAL_AWS.region,
      [ENV.genesysApiBaseUrl]: sandbox.url,
      [ENV.genesysLoginBaseUrl]: sandbox.url,
      // Required by the send function's configuration; never used by an immediate send that succeeds.
      [ENV.retryQueueUrl]: 'http://127.0.0.1:9/000000000000/unused',
    };
    const opened = { sandbox, dynamo };
    return {
      runner,
      env,
      async close() {
        await opened.sandbox.close();
        await opened.dynamo.close();
      },
    };
  } catch (error) {
    await sandbox?.close();
    await dynamo?.close();
    throw error;
  }
}

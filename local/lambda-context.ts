import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';

/** The account and region of every local ARN: no AWS account is involved. */
export const LOCAL_ACCOUNT = '000000000000';
export const LOCAL_REGION = 'us-east-1';

export interface LocalFunction {
  functionName: string;
  /** Lambda's own limit for the function, as the CDK stack sets it (only used for getRemainingTimeInMillis). */
  timeoutSeconds: number;
  memoryLimitInMB?: number;
}

export function functionArn(functionName: string): string {
  return `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:${functionName}`;
}

/**
 * A Lambda invocation context as the Node.js runtime builds it: a fresh request id per invoke, the
 * function's ARN (the send function schedules itself by it), log names, and the time left.
 */
export function lambdaContext(fn: LocalFunction, now: () => number = Date.now): Context {
  const deadline = now() + fn.timeoutSeconds * 1000;
  const today = new Date(now()).toISOString().slice(0, 10).replaceAll('-', '/');
  const unsupported = (name: string) => () => {
    throw new Error(`context.${name}() is not supported: return a value or a promise from the handler`);
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: fn.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: functionArn(fn.functionName),
    memoryLimitInMB: String(fn.memoryLimitInMB ?? 256),
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${fn.functionName}`,
    logStreamName: `${today}/[$LATEST]${randomUUID().replaceAll('-', '')}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - now()),
    done: unsupported('done'),
    fail: unsupported('fail'),
    succeed: unsupported('succeed'),
  };
}

import { optionalEnv } from '../config/environment';
import type { ApiGatewayEvent } from './api-gateway';

/**
 * Who created a message, and who may read it (docs/callers.md). A caller is the IAM principal API Gateway
 * authenticated (HTTPS), else a name the stack assigns per entry point: Lambda tells a function neither who
 * invoked it directly nor which rule delivered an EventBridge event.
 */

/** A request without an IAM principal: only the local stack (the deployed API requires IAM). */
export const UNAUTHENTICATED_CALLER = 'https:unauthenticated';
export const DEFAULT_DIRECT_INVOKE_CALLER = 'lambda:direct-invoke';
export const DEFAULT_EVENTBRIDGE_CALLER = 'events:eventbridge';

/**
 * One name per principal: an assumed-role session (`arn:aws:sts::1:assumed-role/Role/session`) is its role
 * (`arn:aws:iam::1:role/Role`), so a caller keeps its messages across sessions.
 */
export function normalizePrincipal(arn: string): string {
  const session = /^arn:(aws[a-z-]*):sts::(\d+):assumed-role\/([^/]+)\/.+$/.exec(arn.trim());
  return session === null ? arn.trim() : `arn:${session[1]}:iam::${session[2]}:role/${session[3]}`;
}

/** The IAM principal of an API Gateway request (REST v1 `identity.userArn`, HTTP v2 `authorizer.iam.userArn`). */
export function httpCallerOf(event: ApiGatewayEvent): string {
  const context = event.requestContext as
    | {
        identity?: { userArn?: string | null } | null;
        authorizer?: { iam?: { userArn?: string | null } } | null;
      }
    | undefined;
  const arn = context?.identity?.userArn ?? context?.authorizer?.iam?.userArn;
  return typeof arn === 'string' && arn !== '' ? normalizePrincipal(arn) : UNAUTHENTICATED_CALLER;
}

export function directInvokeCaller(): string {
  return optionalEnv('directInvokeCaller') ?? DEFAULT_DIRECT_INVOKE_CALLER;
}

export function eventBridgeCaller(): string {
  return optionalEnv('eventBridgeCaller') ?? DEFAULT_EVENTBRIDGE_CALLER;
}

/** OPERATOR_PRINCIPALS: the principals that may read every message. */
export function operatorPrincipals(): ReadonlySet<string> {
  const list = optionalEnv('operatorPrincipals') ?? '';
  return new Set(
    list
      .split(',')
      .map((entry) => entry.trim())
      .filter((entry) => entry !== '')
      .map(normalizePrincipal),
  );
}

/** A reader sees a message it created; an operator sees every message. A record from before callers were kept has no owner: operators only. */
export function mayRead(
  reader: string,
  createdBy: string | undefined,
  operators: ReadonlySet<string>,
): boolean {
  return operators.has(reader) || (createdBy !== undefined && createdBy === reader);
}

import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { BodyTooLargeError, closeServer, listenOnLoopback, readBody } from './http-server';
import { LOCAL_ACCOUNT, LOCAL_REGION } from './lambda-context';

/**
 * EventBridge Scheduler on loopback, for one-time (`at(...)`) schedules with Lambda targets: the REST-JSON
 * operations CreateSchedule, GetSchedule and DeleteSchedule, as @aws-sdk/client-scheduler sends them
 * (`POST|GET|DELETE /schedules/{Name}`, errors named in `x-amzn-ErrorType`). Point the SDK at it with
 * AWS_ENDPOINT_URL_SCHEDULER and the real send code path runs unchanged. At the schedule's time it invokes
 * the target with the schedule's `Target.Input`, retries a failed invoke as the target's RetryPolicy allows,
 * then deletes the schedule (ActionAfterCompletion DELETE) or keeps it as completed.
 */

/** Invokes a Lambda target by ARN with the parsed Input; a throw (or rejection) is a failed invoke. */
export type LambdaInvoker = (targetArn: string, input: unknown) => Promise<unknown>;

export type SchedulerEvent =
  | { type: 'created'; name: string; groupName: string; fireAt: string }
  | { type: 'invoked'; name: string; groupName: string; attempt: number }
  | { type: 'invoke-failed'; name: string; groupName: string; attempt: number; error: string }
  | { type: 'gave-up'; name: string; groupName: string; attempts: number }
  | { type: 'deleted'; name: string; groupName: string; reason: 'completed' | 'api' };

export interface SchedulerStandInOptions {
  invoke: LambdaInvoker;
  /** Default 0 (any free port) on 127.0.0.1. */
  port?: number;
  /** Wait between failed invokes (EventBridge Scheduler backs off for minutes; locally a second). */
  retryDelayMs?: number;
  onEvent?: (event: SchedulerEvent) => void;
  now?: () => number;
}

export interface ScheduleView {
  name: string;
  groupName: string;
  arn: string;
  expression: string;
  fireAt: string;
  state: 'ENABLED' | 'DISABLED';
  /** waiting for its time, invoking, done (kept: ActionAfterCompletion NONE), or failed after its retries. */
  progress: 'waiting' | 'invoking' | 'completed' | 'failed';
  targetArn: string;
  input?: string;
  attempts: number;
}

export interface SchedulerStandIn {
  /** `http://127.0.0.1:<port>`: the value for AWS_ENDPOINT_URL_SCHEDULER. */
  readonly url: string;
  schedules(): ScheduleView[];
  /** Resolves when no invoke is running. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/** EventBridge Scheduler's own defaults for a target without RetryPolicy. */
const DEFAULT_MAX_RETRIES = 185;
const DEFAULT_MAX_EVENT_AGE_SECONDS = 86_400;
const NAME_PATTERN = /^[0-9a-zA-Z\-_.]{1,64}$/;
const AT_PATTERN = /^at\((\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\)$/;
/** setTimeout's ceiling (~24.8 days): longer waits are chained. */
const MAX_TIMER_MS = 2 ** 31 - 1;
const MAX_BODY_BYTES = 1024 * 1024;

interface Target {
  Arn?: unknown;
  RoleArn?: unknown;
  Input?: unknown;
  RetryPolicy?: { MaximumRetryAttempts?: unknown; MaximumEventAgeInSeconds?: unknown };
}

interface StoredSchedule extends ScheduleView {
  fireAtMs: number;
  actionAfterCompletion: 'NONE' | 'DELETE';
  maxRetries: number;
  maxEventAgeMs: number;
  timer?: NodeJS.Timeout;
  body: Record<string, unknown>;
  creationDate: number;
}

class SchedulerError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

export async function startSchedulerStandIn(options: SchedulerStandInOptions): Promise<SchedulerStandIn> {
  const now = options.now ?? Date.now;
  const retryDelayMs = options.retryDelayMs ?? 1000;
  const schedules = new Map<string, StoredSchedule>();
  const running = new Set<Promise<void>>();
  let closed = false;

  const keyOf = (groupName: string, name: string) => `${groupName}/${name}`;
  const emit = (event: SchedulerEvent) => options.onEvent?.(event);

  function arm(schedule: StoredSchedule, atMs: number): void {
    const wait = Math.max(0, atMs - now());
    // Timers run on a monotonic clock and may fire a hair before the wall-clock time: never early.
    schedule.timer = setTimeout(
      () => (now() < atMs ? arm(schedule, atMs) : fire(schedule)),
      Math.min(wait, MAX_TIMER_MS),
    );
    // The servers keep the stack alive; a pending schedule alone must not keep a finished process up.
    schedule.timer.unref();
  }

  function fire(schedule: StoredSchedule): void {
    if (closed || schedules.get(keyOf(schedule.groupName, schedule.name)) !== schedule) return;
    const run = invokeWithRetries(schedule).finally(() => running.delete(run));
    running.add(run);
  }

  async function invokeWithRetries(schedule: StoredSchedule): Promise<void> {
    schedule.progress = 'invoking';
    const input = schedule.input === undefined ? {} : JSON.parse(schedule.input);
    const { name, groupName } = schedule;
    // The event is born when the schedule fires (a past at() time fires at once, as a fresh event).
    const bornAt = now();
    for (;;) {
      schedule.attempts += 1;
      try {
        await options.invoke(schedule.targetArn, input);
        emit({ type: 'invoked', name, groupName, attempt: schedule.attempts });
        schedule.progress = 'completed';
        break;
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        emit({ type: 'invoke-failed', name, groupName, attempt: schedule.attempts, error: message });
        const retriesLeft = schedule.attempts <= schedule.maxRetries;
        const young = now() + retryDelayMs - bornAt <= schedule.maxEventAgeMs;
        if (closed || !retriesLeft || !young) {
          emit({ type: 'gave-up', name, groupName, attempts: schedule.attempts });
          schedule.progress = 'failed';
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, retryDelayMs).unref());
      }
    }
    if (schedule.actionAfterCompletion === 'DELETE') {
      schedules.delete(keyOf(groupName, name));
      emit({ type: 'deleted', name, groupName, reason: 'completed' });
    }
  }

  function create(name: string, body: Record<string, unknown>): Record<string, unknown> {
    const groupName = optionalString(body.GroupName, 'GroupName') ?? 'default';
    const expression = requiredString(body.ScheduleExpression, 'ScheduleExpression');
    const timezone = optionalString(body.ScheduleExpressionTimezone, 'ScheduleExpressionTimezone') ?? 'UTC';
    if (timezone !== 'UTC' && timezone !== 'Etc/UTC') {
      throw validation(`the local scheduler supports ScheduleExpressionTimezone UTC only, got "${timezone}"`);
    }
    const fireAtMs = parseAt(expression);
    const window = body.FlexibleTimeWindow as { Mode?: unknown } | undefined;
    if (window?.Mode !== 'OFF' && window?.Mode !== 'FLEXIBLE') {
      throw validation('FlexibleTimeWindow.Mode must be OFF or FLEXIBLE');
    }
    const target = body.Target as Target | undefined;
    if (typeof target !== 'object' || target === null) throw validation('Target is required');
    const targetArn = requiredString(target.Arn, 'Target.Arn');
    requiredString(target.RoleArn, 'Target.RoleArn');
    const input = optionalString(target.Input, 'Target.Input');
    if (input !== undefined) {
      try {
        JSON.parse(input);
      } catch {
        throw validation('Target.Input must be valid JSON for a Lambda target');
      }
    }
    const action = optionalString(body.ActionAfterCompletion, 'ActionAfterCompletion') ?? 'NONE';
    if (action !== 'NONE' && action !== 'DELETE') {
      throw validation(`ActionAfterCompletion must be NONE or DELETE, got "${action}"`);
    }
    const state = optionalString(body.State, 'State') ?? 'ENABLED';
    if (state !== 'ENABLED' && state !== 'DISABLED') {
      throw validation(`State must be ENABLED or DISABLED, got "${state}"`);
    }
    const key = keyOf(groupName, name);
    if (schedules.has(key)) {
      throw new SchedulerError(409, 'ConflictException', `Schedule ${name} already exists.`);
    }
    const retry = target.RetryPolicy ?? {};
    const schedule: StoredSchedule = {
      name,
      groupName,
      arn: `arn:aws:scheduler:${LOCAL_REGION}:${LOCAL_ACCOUNT}:schedule/${groupName}/${name}`,
      expression,
      fireAt: new Date(fireAtMs).toISOString(),
      fireAtMs,
      state,
      progress: 'waiting',
      targetArn,
      ...(input !== undefined && { input }),
      attempts: 0,
      actionAfterCompletion: action,
      maxRetries: boundedInteger(
        retry.MaximumRetryAttempts,
        'MaximumRetryAttempts',
        0,
        185,
        DEFAULT_MAX_RETRIES,
      ),
      maxEventAgeMs:
        boundedInteger(
          retry.MaximumEventAgeInSeconds,
          'MaximumEventAgeInSeconds',
          60,
          86_400,
          DEFAULT_MAX_EVENT_AGE_SECONDS,
        ) * 1000,
      body,
      creationDate: now(),
    };
    schedules.set(key, schedule);
    emit({ type: 'created', name, groupName, fireAt: schedule.fireAt });
    // A time already past fires at once: the one-time schedule is due.
    if (state === 'ENABLED') arm(schedule, fireAtMs);
    return { ScheduleArn: schedule.arn };
  }

  function find(name: string, groupName: string): StoredSchedule {
    const schedule = schedules.get(keyOf(groupName, name));
    if (schedule === undefined) {
      throw new SchedulerError(404, 'ResourceNotFoundException', `Schedule ${name} does not exist.`);
    }
    return schedule;
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://scheduler.invalid');
    const match = /^\/schedules\/([^/]+)$/.exec(url.pathname);
    const name = match?.[1] === undefined ? undefined : decodeURIComponent(match[1]);
    const groupName = url.searchParams.get('groupName') ?? 'default';
    try {
      if (name === undefined) {
        throw new SchedulerError(
          404,
          'UnknownOperationException',
          `the local scheduler supports CreateSchedule, GetSchedule and DeleteSchedule only, not ${request.method} ${url.pathname}`,
        );
      }
      if (!NAME_PATTERN.test(name)) {
        throw validation('Name must be 1-64 characters of 0-9 a-z A-Z - _ .');
      }
      if (request.method === 'POST') {
        const body = parseBody(await readBody(request, MAX_BODY_BYTES));
        reply(response, 200, create(name, body));
      } else if (request.method === 'GET') {
        const schedule = find(name, groupName);
        reply(response, 200, {
          ...schedule.body,
          Name: schedule.name,
          GroupName: schedule.groupName,
          Arn: schedule.arn,
          State: schedule.state,
          CreationDate: schedule.creationDate / 1000,
          LastModificationDate: schedule.creationDate / 1000,
        });
      } else if (request.method === 'DELETE') {
        const schedule = find(name, groupName);
        clearTimeout(schedule.timer);
        schedules.delete(keyOf(groupName, name));
        emit({ type: 'deleted', name, groupName, reason: 'api' });
        reply(response, 200, {});
      } else {
        throw new SchedulerError(
          405,
          'UnknownOperationException',
          `method ${request.method} is not supported`,
        );
      }
    } catch (error) {
      if (error instanceof SchedulerError) {
        reply(response, error.status, { Message: error.message }, error.type);
      } else if (error instanceof BodyTooLargeError) {
        reply(response, 413, { Message: error.message }, 'ValidationException');
      } else {
        reply(response, 500, { Message: (error as Error).message }, 'InternalServerException');
      }
    }
  }

  const server = createServer((request, response) => void handle(request, response));
  const port = await listenOnLoopback(server, options.port ?? 0);

  return {
    url: `http://127.0.0.1:${port}`,
    schedules: () =>
      [...schedules.values()].map(
        ({
          timer: _t,
          body: _b,
          fireAtMs: _f,
          maxRetries: _m,
          maxEventAgeMs: _a,
          actionAfterCompletion: _c,
          creationDate: _d,
          ...view
        }) => ({
          ...view,
        }),
      ),
    async idle() {
      while (running.size > 0) await Promise.allSettled([...running]);
    },
    async close() {
      closed = true;
      for (const schedule of schedules.values()) clearTimeout(schedule.timer);
      await closeServer(server);
      while (running.size > 0) await Promise.allSettled([...running]);
    },
  };
}

function reply(response: ServerResponse, status: number, body: unknown, errorType?: string): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(text)),
    'x-amzn-requestid': randomUUID(),
    ...(errorType !== undefined && { 'x-amzn-errortype': errorType }),
  });
  response.end(text);
}

function parseBody(raw: Buffer): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(raw.toString('utf8') || '{}');
  } catch {
    throw new SchedulerError(400, 'SerializationException', 'the request body is not valid JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new SchedulerError(400, 'SerializationException', 'the request body must be a JSON object');
  }
  return value as Record<string, unknown>;
}

function validation(message: string): SchedulerError {
  return new SchedulerError(400, 'ValidationException', message);
}

function requiredString(value: unknown, field: string): string {
  if (typeof value !== 'string' || value === '') throw validation(`${field} is required`);
  return value;
}

function optionalString(value: unknown, field: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw validation(`${field} must be a string`);
  return value;
}

function boundedInteger(value: unknown, field: string, min: number, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw validation(`Target.RetryPolicy.${field} must be a whole number from ${min} to ${max}`);
  }
  return value;
}

/** `at(yyyy-mm-ddThh:mm:ss)`, read as UTC; rate() and cron() are refused with a clear message. */
function parseAt(expression: string): number {
  const match = AT_PATTERN.exec(expression);
  if (match === null) {
    throw validation(
      `the local scheduler supports one-time at(yyyy-mm-ddThh:mm:ss) expressions only, got "${expression}"`,
    );
  }
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const ms = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(ms);
  if (
    check.getUTCMonth() !== month - 1 ||
    check.getUTCDate() !== day ||
    hour > 23 ||
    minute > 59 ||
    second > 59
  ) {
    throw validation(`ScheduleExpression names no real time: "${expression}"`);
  }
  return ms;
}

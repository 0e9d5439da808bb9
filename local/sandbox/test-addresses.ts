/**
 * Addresses that always fail the same way, like a payment provider's test cards, so that a newcomer can watch
 * each failure path of the service against the sandbox (README "Genesys sandbox"). An agentless `toAddress`
 * or a bot connector `botSessionId` with one of these values gets this answer on every send.
 */
export interface TestFailure {
  status: number;
  code: string;
  message: string;
  retryAfterSeconds?: number;
  /** What the service does with it, for the README table and `npm start`'s help. */
  shows: string;
}

const FAILURES: Record<string, TestFailure> = {
  '400': {
    status: 400,
    code: 'bad.request',
    message: 'toAddress: the destination address is not valid',
    shows: 'Genesys refuses the message: answered 422 genesys_rejected, status failed',
  },
  '403': {
    status: 403,
    code: 'missing.permissions',
    message: 'You are missing the following permission(s): conversation:message:create',
    shows: 'a missing OAuth permission: answered 422, status failed, counts toward the failed-send alarm',
  },
  '429': {
    status: 429,
    code: 'too.many.requests.retry.after',
    message: 'Rate limit exceeded the maximum.',
    retryAfterSeconds: 1,
    shows: 'always throttled: retried until the budget is spent, then failed and dead-lettered',
  },
  '503': {
    status: 503,
    code: 'service.unavailable',
    message: 'Service Unavailable - The server is currently unavailable.',
    shows: 'always unavailable: retried until the budget is spent, then failed and dead-lettered',
  },
};

/** Agentless test numbers (in the range reserved for fiction, 555-0100…0199 is taken by the demo). */
export const TEST_TO_ADDRESS_PREFIX = '+1500555';
/** Bot sessions that always fail: `test-session-<status>`. */
export const TEST_BOT_SESSION_PREFIX = 'test-session-';

export const TEST_ADDRESSES: ReadonlyArray<{ toAddress: string; botSessionId: string } & TestFailure> =
  Object.entries(FAILURES).map(([status, failure]) => ({
    toAddress: `${TEST_TO_ADDRESS_PREFIX}0${status}`,
    botSessionId: `${TEST_BOT_SESSION_PREFIX}${status}`,
    ...failure,
  }));

/** The failure a send to this agentless address or bot session always gets, if it is a test one. */
export function testFailureFor(value: string | undefined): TestFailure | undefined {
  if (value === undefined) return undefined;
  return TEST_ADDRESSES.find((entry) => entry.toAddress === value || entry.botSessionId === value);
}

/** Client-credentials secret as stored in Secrets Manager (see README "Secrets"). */
export interface GenesysCredentials {
  clientId: string;
  clientSecret: string;
  /** A region name (`eu-west-1`, `eu_west_1`) or a Genesys domain (`mypurecloud.ie`). */
  region: string;
}

/** What Genesys said when it did not answer 2xx, in its own words (ErrorBody) plus the correlation header. */
export interface GenesysErrorInfo {
  /** HTTP status, absent for network failures (timeout, reset). */
  status?: number;
  /** ErrorBody.code, e.g. `too.many.requests.retry.after`, or a network code such as `ECONNRESET`. */
  code?: string;
  message: string;
  contextId?: string;
  /** The `ININ-Correlation-Id` response header. */
  correlationId?: string;
}

/**
 * Every Genesys answer falls in exactly one class (docs/data-flow.md, "Genesys outcomes").
 * 401 never escapes as its own class: the client renews the token and tries once more, then it is permanent.
 */
export type GenesysOutcome<T = unknown> =
  | { kind: 'sent'; status: number; data: T; correlationId?: string }
  | { kind: 'permanent'; error: GenesysErrorInfo }
  | { kind: 'throttled'; retryAfterSeconds?: number; error: GenesysErrorInfo }
  | { kind: 'transient'; error: GenesysErrorInfo }
  /**
   * Only for a call made with `sendOnce`: it may have reached Genesys (a timeout, a reset or a 502/504
   * after the request was written). Retrying blindly could send the message twice (docs/delivery.md).
   */
  | { kind: 'ambiguous'; error: GenesysErrorInfo };

export type GenesysFailure = Exclude<GenesysOutcome, { kind: 'sent' }>;

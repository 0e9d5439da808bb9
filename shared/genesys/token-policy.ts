/**
 * Pure rules for the token endpoint's answers (docs/genesys-api-facts.md, "OAuth client credentials"):
 * how long a token is trusted, and how long a failure is shared before the endpoint is asked again.
 */

/** Genesys lets an OAuth client's token live 5 minutes to 48 hours. */
export const MIN_TOKEN_LIFETIME_SECONDS = 5 * 60;
export const MAX_TOKEN_LIFETIME_SECONDS = 48 * 60 * 60;

export interface TokenLifetime {
  seconds: number;
  /** Set when `expires_in` was missing, not a number, or outside Genesys' range: why it was replaced. */
  odd?: string;
}

/**
 * The lifetime to trust for a token answer's `expires_in`: a number of seconds (or a numeric string), kept
 * within 5 min – 48 h. Anything else is treated as the shortest lifetime, so an odd answer costs at most
 * one token request per few minutes, and never a token per call or one that is never renewed.
 */
export function tokenLifetime(expiresIn: unknown): TokenLifetime {
  const value =
    typeof expiresIn === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(expiresIn) ? Number(expiresIn) : expiresIn;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    return {
      seconds: MIN_TOKEN_LIFETIME_SECONDS,
      odd: `expires_in ${expiresIn === undefined ? 'is missing' : `is not a number (${describe(expiresIn)})`}`,
    };
  }
  if (value < MIN_TOKEN_LIFETIME_SECONDS) {
    return { seconds: MIN_TOKEN_LIFETIME_SECONDS, odd: `expires_in ${value} is below 5 minutes` };
  }
  if (value > MAX_TOKEN_LIFETIME_SECONDS) {
    return { seconds: MAX_TOKEN_LIFETIME_SECONDS, odd: `expires_in ${value} is above 48 hours` };
  }
  return { seconds: value };
}

function describe(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : typeof value;
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}

/** After a token-endpoint failure nobody asks again for this long; doubled per failure in a row. */
export const TOKEN_FAILURE_BASE_MS = 1_000;
export const TOKEN_FAILURE_MAX_MS = 30_000;

/**
 * How long one failure is shared with every caller before the endpoint is asked again: the endpoint's
 * Retry-After when it gave one, else 1 s, 2 s, 4 s… up to 30 s for `failuresInARow` (1 for the first).
 */
export function tokenFailureHoldMs(failuresInARow: number, retryAfterSeconds: number | undefined): number {
  const backoff = Math.min(
    TOKEN_FAILURE_BASE_MS * 2 ** Math.max(0, failuresInARow - 1),
    TOKEN_FAILURE_MAX_MS,
  );
  return retryAfterSeconds === undefined ? backoff : Math.max(backoff, retryAfterSeconds * 1000);
}

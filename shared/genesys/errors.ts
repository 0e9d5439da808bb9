import { ConfigurationError } from '../config/environment';
import type { GenesysFailure } from './types';

/**
 * Errors the Genesys client throws. Genesys and network failures are never thrown: they are
 * returned as a {@link GenesysOutcome}. What is thrown is ours to fix (setup, credentials): the delivery
 * code retries it within the retry budget, so a message survives while an operator fixes the setup, and
 * fails it with the setup error only once the budget is spent.
 */

/** Our own setup is wrong: a missing or invalid environment variable, an unknown region, a bad URL. */
export class GenesysConfigurationError extends ConfigurationError {
  override name = 'GenesysConfigurationError';
  readonly kind = 'configuration' as const;
}

/**
 * The credentials cannot be used: the secret does not exist, is not readable, is not JSON or lacks a
 * field. Messages name the secret id and the field, never a value.
 */
export class GenesysCredentialsError extends Error {
  override name = 'GenesysCredentialsError';
  readonly kind = 'credentials' as const;
}

export type GenesysSetupError = GenesysConfigurationError | GenesysCredentialsError;
export type GenesysSetupErrorKind = GenesysSetupError['kind'];

export function isGenesysSetupError(error: unknown): error is GenesysSetupError {
  return error instanceof GenesysConfigurationError || error instanceof GenesysCredentialsError;
}

/**
 * Reading the credentials failed for a reason that passes (Secrets Manager throttling, 5xx, network).
 * The client answers such a failure with a `transient` outcome so the message is retried, not failed.
 */
export class CredentialsUnavailableError extends Error {
  override name = 'CredentialsUnavailableError';
  /** The AWS error name or network code, e.g. `ThrottlingException`, `ECONNRESET`. */
  readonly code: string;

  constructor(message: string, code: string) {
    super(message);
    this.code = code;
  }
}

/**
 * The token endpoint did not issue a token. Carries the classified failure, which the client returns
 * as its outcome (a rejected client is `permanent`, a throttled or failing endpoint is retried).
 */
export class GenesysTokenError extends Error {
  override name = 'GenesysTokenError';
  readonly failure: GenesysFailure;

  constructor(failure: GenesysFailure) {
    super(failure.error.message);
    this.failure = failure;
  }
}

/** Runs an environment lookup and gives its ConfigurationError the typed `kind` the delivery code reads. */
export function readConfiguration<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof ConfigurationError && !(error instanceof GenesysConfigurationError)) {
      throw new GenesysConfigurationError(error.message);
    }
    throw error;
  }
}

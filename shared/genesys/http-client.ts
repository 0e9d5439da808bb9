import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import axios, { type AxiosInstance } from 'axios';
import { ENV, numberEnv } from '../config/environment';
import { DEFAULT_GENESYS_TIMEOUT_MS } from '../config/timing';
import { GenesysConfigurationError, readConfiguration } from './errors';

export { DEFAULT_GENESYS_TIMEOUT_MS };

// Kept alive across warm invocations: a TLS handshake per call would cost more than the call.
const httpsAgent = new HttpsAgent({ keepAlive: true });
const httpAgent = new HttpAgent({ keepAlive: true });

export interface GenesysHttpClientOptions {
  /** Per-request timeout (whole request, connect included). Default GENESYS_TIMEOUT_MS or 10 000. */
  timeoutMs?: number;
}

/**
 * The axios instance for Genesys calls: keep-alive sockets, a timeout, JSON, and every HTTP status
 * resolved (never thrown) so that classification stays in `classifyResponse`. Redirects are not
 * followed: Genesys does not redirect API calls, and a redirect must not carry our token elsewhere.
 */
export function createGenesysHttpClient(options: GenesysHttpClientOptions = {}): AxiosInstance {
  const timeout = options.timeoutMs ?? timeoutFromEnvironment();
  if (!Number.isFinite(timeout) || timeout <= 0) {
    throw new GenesysConfigurationError(`Genesys timeout must be a positive number of ms, got ${timeout}`);
  }
  return axios.create({
    timeout,
    httpAgent,
    httpsAgent,
    maxRedirects: 0,
    responseType: 'json',
    headers: { Accept: 'application/json' },
    validateStatus: () => true,
  });
}

let shared: AxiosInstance | undefined;

/** One instance per process (built on first use), so warm invocations reuse its sockets. */
export function getGenesysHttpClient(): AxiosInstance {
  shared ??= createGenesysHttpClient();
  return shared;
}

/** Tests: forget the shared instance (the next call reads GENESYS_TIMEOUT_MS again). */
export function resetGenesysHttpClient(): void {
  shared = undefined;
}

/** GENESYS_TIMEOUT_MS, or the default: one Genesys call's timeout. */
export function timeoutFromEnvironment(): number {
  const timeout = readConfiguration(() => numberEnv('genesysTimeoutMs', DEFAULT_GENESYS_TIMEOUT_MS));
  if (timeout <= 0) {
    throw new GenesysConfigurationError(
      `environment variable ${ENV.genesysTimeoutMs} must be greater than 0`,
    );
  }
  return timeout;
}

import type { Sandbox } from '../../../local/sandbox';
import type { CredentialsProvider } from '../../../shared/genesys/credentials';
import { StaticCredentialsProvider } from '../../../shared/genesys/credentials';
import { GenesysClient } from '../../../shared/genesys/genesys-client';
import { createGenesysHttpClient } from '../../../shared/genesys/http-client';
import type { GenesysCredentials } from '../../../shared/genesys/types';

export const SANDBOX_CREDENTIALS: GenesysCredentials = {
  clientId: 'sandbox-client',
  clientSecret: 'sandbox-secret',
  region: 'us-east-1',
};

export interface SandboxClientOptions {
  credentials?: CredentialsProvider;
  timeoutMs?: number;
  now?: () => number;
}

/** A GenesysClient pointed at the sandbox (one host for login and API, as the sandbox serves both). */
export function sandboxClient(sandbox: Sandbox, options: SandboxClientOptions = {}): GenesysClient {
  return new GenesysClient({
    credentials: options.credentials ?? new StaticCredentialsProvider(SANDBOX_CREDENTIALS),
    baseUrls: { apiBaseUrl: sandbox.url, loginBaseUrl: sandbox.url },
    http: createGenesysHttpClient({ timeoutMs: options.timeoutMs ?? 5_000 }),
    ...(options.now !== undefined && { now: options.now }),
  });
}

/** A provider that answers `initial` until reloaded, then `afterReload`; it counts the reloads. */
export class RotatingCredentials implements CredentialsProvider {
  reloads = 0;
  private current: GenesysCredentials;

  constructor(
    initial: GenesysCredentials,
    private readonly afterReload: GenesysCredentials,
  ) {
    this.current = initial;
  }

  async get(): Promise<GenesysCredentials> {
    return this.current;
  }

  async reload(): Promise<GenesysCredentials> {
    this.reloads += 1;
    this.current = this.afterReload;
    return this.current;
  }
}

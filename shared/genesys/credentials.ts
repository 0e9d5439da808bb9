import { ENV, optionalEnv } from '../config/environment';
import { checkCredentials } from './credentials-schema';
import { GenesysConfigurationError } from './errors';
import { SecretsManagerCredentialsProvider } from './secrets-manager-credentials';
import type { GenesysCredentials } from './types';

/** Where the Genesys OAuth client credentials come from. */
export interface CredentialsProvider {
  /** The current credentials (cached by the provider as it sees fit). */
  get(): Promise<GenesysCredentials>;
  /** Reads the source again now, e.g. after the token endpoint rejected the cached ones (rotation). */
  reload(): Promise<GenesysCredentials>;
}

type CredentialsSource = GenesysCredentials | (() => GenesysCredentials | Promise<GenesysCredentials>);

/**
 * Credentials given directly (the local stack, tests). With a function as source, `get()` calls it
 * once and `reload()` calls it again.
 */
export class StaticCredentialsProvider implements CredentialsProvider {
  private readonly source: CredentialsSource;
  private current: Promise<GenesysCredentials> | undefined;

  constructor(source: CredentialsSource) {
    this.source = source;
  }

  get(): Promise<GenesysCredentials> {
    this.current ??= this.read();
    return this.current;
  }

  reload(): Promise<GenesysCredentials> {
    this.current = this.read();
    return this.current;
  }

  private read(): Promise<GenesysCredentials> {
    const reading = (async () =>
      validated(typeof this.source === 'function' ? await this.source() : this.source))();
    // A failed read is not kept: the next get() tries the source again.
    reading.catch(() => {
      if (this.current === reading) this.current = undefined;
    });
    return reading;
  }
}

function validated(credentials: GenesysCredentials): GenesysCredentials {
  const check = checkCredentials(credentials);
  if (check.ok) return check.credentials;
  const detail = check.problems.map(({ field, problem }) => `field "${field}" ${problem}`).join('; ');
  throw new GenesysConfigurationError(`Genesys credentials are not usable: ${detail}`);
}

const DIRECT_VARIABLES = {
  clientId: ENV.genesysClientId,
  clientSecret: ENV.genesysClientSecret,
  region: ENV.genesysRegion,
} as const;

/**
 * The credentials provider the environment asks for: GENESYS_SECRET_ID (Secrets Manager) wins, else
 * GENESYS_CLIENT_ID + GENESYS_CLIENT_SECRET + GENESYS_REGION (re-read on reload). Neither gives a
 * GenesysConfigurationError naming what to set.
 */
export function credentialsFromEnvironment(): CredentialsProvider {
  const secretId = optionalEnv('genesysSecretId');
  if (secretId !== undefined) return new SecretsManagerCredentialsProvider({ secretId });
  const anyDirect = [ENV.genesysClientId, ENV.genesysClientSecret, ENV.genesysRegion].some(
    (name) => (process.env[name] ?? '') !== '',
  );
  if (!anyDirect) {
    throw new GenesysConfigurationError(
      `Genesys credentials are not configured: set ${ENV.genesysSecretId} (a Secrets Manager secret ` +
        `{"clientId","clientSecret","region"}) or ${ENV.genesysClientId}, ${ENV.genesysClientSecret} and ${ENV.genesysRegion}`,
    );
  }
  credentialsFromVariables(); // a bad setup fails here, at start-up, not at the first send
  return new StaticCredentialsProvider(credentialsFromVariables);
}

function credentialsFromVariables(): GenesysCredentials {
  const check = checkCredentials({
    clientId: optionalEnv('genesysClientId'),
    clientSecret: optionalEnv('genesysClientSecret'),
    region: optionalEnv('genesysRegion'),
  });
  if (check.ok) return check.credentials;
  const detail = check.problems
    .map(({ field, problem }) => `environment variable ${DIRECT_VARIABLES[field]} ${problem}`)
    .join('; ');
  throw new GenesysConfigurationError(`Genesys credentials are not usable: ${detail}`);
}

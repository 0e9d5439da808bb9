import { readFile } from 'node:fs/promises';
import { ENV } from '../shared/config/environment';
import { checkCredentials } from '../shared/genesys/credentials-schema';
import { genesysBaseUrls } from '../shared/genesys/regions';
import type { GenesysCredentials } from '../shared/genesys/types';

/** Which Genesys the local stack talks to: the sandbox on loopback, or a real org. */
export type GenesysTarget =
  | { kind: 'sandbox'; notes: string[] }
  | { kind: 'real'; credentials: GenesysCredentials; source: string; notes: string[] };

export class GenesysTargetError extends Error {
  override name = 'GenesysTargetError';
}

const DIRECT = [ENV.genesysClientId, ENV.genesysClientSecret, ENV.genesysRegion] as const;
const FIELD_VARIABLE: Record<keyof GenesysCredentials, string> = {
  clientId: ENV.genesysClientId,
  clientSecret: ENV.genesysClientSecret,
  region: ENV.genesysRegion,
};

/**
 * A real org when credentials are given (a secret file, else GENESYS_CLIENT_ID + GENESYS_CLIENT_SECRET +
 * GENESYS_REGION), the sandbox otherwise or with `sandbox: true`. Errors name the variable, file or field,
 * never a value.
 */
export async function resolveGenesysTarget(input: {
  env: NodeJS.ProcessEnv;
  secretFile?: string;
  sandbox?: boolean;
}): Promise<GenesysTarget> {
  const { env } = input;
  const notes: string[] = [];
  const setDirect = DIRECT.filter((name) => (env[name] ?? '') !== '');
  if (input.sandbox === true) {
    if (input.secretFile !== undefined) {
      throw new GenesysTargetError('--sandbox and --genesys-secret-file exclude each other: choose one');
    }
    if (setDirect.length > 0) notes.push(`--sandbox: ${setDirect.join(', ')} ignored`);
    return { kind: 'sandbox', notes };
  }
  if ((env[ENV.genesysSecretId] ?? '') !== '') {
    notes.push(
      `${ENV.genesysSecretId} ignored: the local stack reads no Secrets Manager; save the secret's JSON to a file and pass --genesys-secret-file`,
    );
  }
  if (input.secretFile !== undefined) {
    return {
      kind: 'real',
      credentials: await readSecretFile(input.secretFile),
      source: input.secretFile,
      notes,
    };
  }
  if (setDirect.length === 0) return { kind: 'sandbox', notes };
  const check = checkCredentials({
    clientId: env[ENV.genesysClientId] || undefined,
    clientSecret: env[ENV.genesysClientSecret] || undefined,
    region: env[ENV.genesysRegion] || undefined,
  });
  if (!check.ok) {
    const detail = check.problems
      .map(({ field, problem }) => `environment variable ${FIELD_VARIABLE[field]} ${problem}`)
      .join('; ');
    throw new GenesysTargetError(
      `real Genesys credentials are incomplete: ${detail} (unset all three to use the sandbox, or pass --sandbox)`,
    );
  }
  return { kind: 'real', credentials: check.credentials, source: 'environment', notes };
}

/** A JSON file shaped like the deployed secret: `{ "clientId", "clientSecret", "region" }`. */
async function readSecretFile(path: string): Promise<GenesysCredentials> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new GenesysTargetError(
      `cannot read the Genesys secret file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // JSON.parse's message quotes the text, which holds the secret: never pass it on.
    throw new GenesysTargetError(
      `the Genesys secret file ${path} is not valid JSON: expected {"clientId", "clientSecret", "region"}`,
    );
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    // Checked here, not by the schema: its problems name a field, and a whole file has none.
    throw new GenesysTargetError(
      `the Genesys secret file ${path} must hold a JSON object {"clientId", "clientSecret", "region"}`,
    );
  }
  const check = checkCredentials(json);
  if (check.ok) return check.credentials;
  const detail = check.problems.map(({ field, problem }) => `field "${field}" ${problem}`).join('; ');
  throw new GenesysTargetError(`the Genesys secret file ${path} is invalid: ${detail}`);
}

/**
 * Where a real org's calls go, for the start banner: the region's hosts, or the GENESYS_API_BASE_URL /
 * GENESYS_LOGIN_BASE_URL overrides, named as such (a proxy or a test host must never pass for the org).
 */
export function describeGenesysHosts(region: string, env: NodeJS.ProcessEnv): string {
  const overridden = [ENV.genesysApiBaseUrl, ENV.genesysLoginBaseUrl].filter(
    (name) => (env[name] ?? '') !== '',
  );
  const overrides = {
    ...(overridden.includes(ENV.genesysApiBaseUrl) && { apiBaseUrl: env[ENV.genesysApiBaseUrl] as string }),
    ...(overridden.includes(ENV.genesysLoginBaseUrl) && {
      loginBaseUrl: env[ENV.genesysLoginBaseUrl] as string,
    }),
  };
  const hosts = genesysBaseUrls(region, overrides);
  const base = `API ${hosts.apiBaseUrl}, login ${hosts.loginBaseUrl}`;
  return overridden.length === 0
    ? base
    : `${base} (OVERRIDDEN by ${overridden.join(' and ')}, not the region's hosts)`;
}

import * as z from 'zod/mini';
import { GenesysCredentialsError } from './errors';
import { GENESYS_REGIONS, isGenesysRegion } from './regions';
import type { GenesysCredentials } from './types';

/**
 * The Genesys OAuth client secret: JSON `{ "clientId", "clientSecret", "region" }`, `region` a region
 * name or a Genesys domain. Other keys are ignored. Messages never quote a value.
 */
const requiredText = z
  .string({ error: (issue) => (issue.input === undefined ? 'is missing' : 'must be a string') })
  .check(z.refine((value) => value.trim() !== '', { message: 'must not be empty', abort: true }));

export const GenesysCredentialsSchema = z.object({
  clientId: requiredText,
  clientSecret: requiredText,
  region: requiredText.check(
    z.refine(isGenesysRegion, {
      message: `is not a known Genesys region or domain (regions: ${Object.keys(GENESYS_REGIONS).join(', ')})`,
      abort: true,
    }),
  ),
});

export type CredentialsField = keyof GenesysCredentials;

export interface CredentialsProblem {
  field: CredentialsField;
  problem: string;
}

export type CredentialsCheck =
  | { ok: true; credentials: GenesysCredentials }
  | { ok: false; problems: CredentialsProblem[] };

/** Validates credentials from any source; the caller words the problems for its source (secret, env). */
export function checkCredentials(input: unknown): CredentialsCheck {
  const parsed = GenesysCredentialsSchema.safeParse(input);
  if (parsed.success) {
    const { clientId, clientSecret, region } = parsed.data;
    return { ok: true, credentials: { clientId, clientSecret, region } };
  }
  const problems = parsed.error.issues.map((issue) => ({
    field: String(issue.path[0]) as CredentialsField,
    problem: issue.message,
  }));
  return { ok: false, problems };
}

const EXPECTED_SHAPE = 'a JSON object {"clientId", "clientSecret", "region"}';

/** Parses a Secrets Manager SecretString. Errors name the secret id and the fields, never a value. */
export function parseCredentialsSecret(secretString: string, secretId: string): GenesysCredentials {
  let json: unknown;
  try {
    json = JSON.parse(secretString);
  } catch {
    // JSON.parse's own message quotes the input: never pass it on.
    throw new GenesysCredentialsError(
      `Genesys credentials secret "${secretId}" is not valid JSON: expected ${EXPECTED_SHAPE}`,
    );
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new GenesysCredentialsError(`Genesys credentials secret "${secretId}" must be ${EXPECTED_SHAPE}`);
  }
  const check = checkCredentials(json);
  if (check.ok) return check.credentials;
  const detail = check.problems.map(({ field, problem }) => `field "${field}" ${problem}`).join('; ');
  throw new GenesysCredentialsError(`Genesys credentials secret "${secretId}" is invalid: ${detail}`);
}

import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { JsonSchema } from 'aws-cdk-lib/aws-apigateway';
import { GenesysMessagingPropsError } from './errors';

/** This repository's root: handler entries, the lock file and the schema are found from here, whatever the cwd. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Written by `npm run schema` from the zod send request schema. */
export const DEFAULT_SEND_REQUEST_SCHEMA_FILE = resolve(
  REPO_ROOT,
  'shared/messages/schema/send-request.schema.json',
);

/** The generated JSON Schema as an API Gateway model: draft-04, the only draft API Gateway knows. */
export function loadSendRequestSchema(file: string): JsonSchema {
  const prop = 'sendRequestSchemaFile';
  if (!existsSync(file)) {
    throw new GenesysMessagingPropsError(prop, `${file} does not exist: run \`npm run schema\``);
  }
  let schema: unknown;
  try {
    schema = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new GenesysMessagingPropsError(prop, `${file} is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) {
    throw new GenesysMessagingPropsError(prop, `${file} must hold a JSON Schema object`);
  }
  const version = (schema as { $schema?: unknown }).$schema;
  if (typeof version !== 'string' || !version.includes('draft-04')) {
    throw new GenesysMessagingPropsError(
      prop,
      `${file} must declare JSON Schema draft-04 ("$schema") for API Gateway, got ${JSON.stringify(version)}`,
    );
  }
  return schema as JsonSchema;
}

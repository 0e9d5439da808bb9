/** `npm run schema`: regenerates the committed JSON Schema of the send request from the zod schema. */
import { writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SEND_REQUEST_JSON_SCHEMA_FILE, sendRequestJsonSchemaText } from './json-schema';

const repositoryRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const file = join(repositoryRoot, SEND_REQUEST_JSON_SCHEMA_FILE);
writeFileSync(file, sendRequestJsonSchemaText());
process.stdout.write(`wrote ${relative(process.cwd(), file) || file}\n`);

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GenesysTargetError, resolveGenesysTarget } from '../../local/genesys-target';

function secretFile(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'genesys-target-')), 'secret.json');
  writeFileSync(file, text);
  return file;
}

describe('resolveGenesysTarget: a secret file', () => {
  it('reads the credentials of a well-formed file', async () => {
    // Prepare
    const file = secretFile('{"clientId":"id-1","clientSecret":"s3cr3t-value","region":"mypurecloud.ie"}');

    // Act
    const target = await resolveGenesysTarget({ env: {}, secretFile: file });

    // Assess
    expect(target).toMatchObject({ kind: 'real', source: file, credentials: { clientId: 'id-1' } });
  });

  it.each([
    ['an array', '[{"clientId":"id-1"}]'],
    ['a string', '"s3cr3t-value"'],
    ['null', 'null'],
  ])('refuses %s with the shape it expects, naming no field and quoting nothing', async (_case, text) => {
    // Prepare
    const file = secretFile(text);

    // Act
    const refusal = resolveGenesysTarget({ env: {}, secretFile: file });

    // Assess
    await expect(refusal).rejects.toThrow(GenesysTargetError);
    await expect(refusal).rejects.toThrow(
      `the Genesys secret file ${file} must hold a JSON object {"clientId", "clientSecret", "region"}`,
    );
  });

  it('names the field and the problem of an object with a bad field', async () => {
    // Prepare
    const file = secretFile('{"clientId":"id-1","clientSecret":42,"region":"mypurecloud.ie"}');

    // Act
    const refusal = resolveGenesysTarget({ env: {}, secretFile: file });

    // Assess
    await expect(refusal).rejects.toThrow(
      `the Genesys secret file ${file} is invalid: field "clientSecret" must be a string`,
    );
  });
});

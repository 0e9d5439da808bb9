import { afterEach, describe, expect, it } from 'vitest';
import { GenesysConfigurationError } from '../../shared/genesys/errors';
import {
  baseUrlOverridesFromEnvironment,
  GENESYS_REGIONS,
  genesysBaseUrls,
  genesysDomain,
  isGenesysRegion,
} from '../../shared/genesys/regions';
import { caught } from './support/caught';

// The Genesys regions table (docs/genesys-api-facts.md), written out again on purpose: a typo in the code's table must fail here.
const CONTRACT: Array<[string, string]> = [
  ['us-east-1', 'mypurecloud.com'],
  ['us-east-2', 'use2.us-gov-pure.cloud'],
  ['us-west-2', 'usw2.pure.cloud'],
  ['ca-central-1', 'cac1.pure.cloud'],
  ['sa-east-1', 'sae1.pure.cloud'],
  ['mx-central-1', 'mxc1.pure.cloud'],
  ['eu-west-1', 'mypurecloud.ie'],
  ['eu-west-2', 'euw2.pure.cloud'],
  ['eu-central-1', 'mypurecloud.de'],
  ['eu-central-2', 'euc2.pure.cloud'],
  ['eusc-de-east-1', 'edee1.eusc-pure.cloud'],
  ['me-central-1', 'mec1.pure.cloud'],
  ['ap-south-1', 'aps1.pure.cloud'],
  ['ap-southeast-1', 'apse1.pure.cloud'],
  ['ap-southeast-2', 'mypurecloud.com.au'],
  ['ap-northeast-1', 'mypurecloud.jp'],
  ['ap-northeast-2', 'apne2.pure.cloud'],
  ['ap-northeast-3', 'apne3.pure.cloud'],
];

const savedEnv = { ...process.env };

afterEach(() => {
  process.env = { ...savedEnv };
});

describe('GENESYS_REGIONS', () => {
  it('holds exactly the 18 regions Genesys lists', () => {
    // Assess
    expect(Object.entries(GENESYS_REGIONS).sort()).toEqual([...CONTRACT].sort());
  });
});

describe('genesysDomain', () => {
  it.each(CONTRACT)('maps %s to %s, in dash, underscore and upper-case forms', (region, domain) => {
    // Prepare
    const underscore = region.replaceAll('-', '_');

    // Act
    const forms = [region, underscore, underscore.toUpperCase(), ` ${region.toUpperCase()} `].map(
      genesysDomain,
    );

    // Assess
    expect(forms).toEqual([domain, domain, domain, domain]);
  });

  it.each(CONTRACT)('accepts the bare domain of %s (%s)', (_region, domain) => {
    // Act
    const resolved = genesysDomain(domain.toUpperCase());

    // Assess
    expect(resolved).toBe(domain);
    expect(isGenesysRegion(domain)).toBe(true);
  });

  it('refuses an unknown region with an error listing every valid name', () => {
    // Act
    const error = caught(() => genesysDomain('eu-west-9'));

    // Assess
    expect(error).toBeInstanceOf(GenesysConfigurationError);
    expect(error.message).toMatch(/unknown Genesys region "eu-west-9"/);
    for (const [region] of CONTRACT) expect(error.message).toContain(region);
    expect(isGenesysRegion('eu-west-9')).toBe(false);
  });

  it.each(['', 'api.mypurecloud.com', 'mygenesys.com', 'us-east', '__proto__', 'toString'])(
    'refuses %j',
    (value) => {
      // Act / Assess
      expect(() => genesysDomain(value)).toThrow(GenesysConfigurationError);
    },
  );

  it('carries kind "configuration" so that the delivery code treats it as ours to fix', () => {
    // Act
    const error = caught(() => genesysDomain('nowhere'));

    // Assess
    expect(error).toMatchObject({ kind: 'configuration' });
  });
});

describe('genesysBaseUrls', () => {
  it('derives the API and login hosts from the region', () => {
    // Act
    const urls = genesysBaseUrls('eu_central_1', {});

    // Assess
    expect(urls).toEqual({
      apiBaseUrl: 'https://api.mypurecloud.de',
      loginBaseUrl: 'https://login.mypurecloud.de',
    });
  });

  it('derives them from a bare domain too', () => {
    // Act
    const urls = genesysBaseUrls('apne3.pure.cloud', {});

    // Assess
    expect(urls).toEqual({
      apiBaseUrl: 'https://api.apne3.pure.cloud',
      loginBaseUrl: 'https://login.apne3.pure.cloud',
    });
  });

  it('takes GENESYS_API_BASE_URL and GENESYS_LOGIN_BASE_URL from the environment, trailing slash removed', () => {
    // Prepare
    process.env.GENESYS_API_BASE_URL = 'http://127.0.0.1:4010/';
    process.env.GENESYS_LOGIN_BASE_URL = 'http://127.0.0.1:4011';

    // Act
    const urls = genesysBaseUrls('us-east-1');

    // Assess
    expect(urls).toEqual({ apiBaseUrl: 'http://127.0.0.1:4010', loginBaseUrl: 'http://127.0.0.1:4011' });
  });

  it('overrides one host and keeps the other from the region', () => {
    // Prepare
    process.env.GENESYS_API_BASE_URL = 'https://proxy.example.com/genesys/';
    delete process.env.GENESYS_LOGIN_BASE_URL;

    // Act
    const urls = genesysBaseUrls('eu-west-1');

    // Assess
    expect(urls).toEqual({
      apiBaseUrl: 'https://proxy.example.com/genesys',
      loginBaseUrl: 'https://login.mypurecloud.ie',
    });
  });

  it('still refuses an unknown region when a host must come from it', () => {
    // Act / Assess
    expect(() => genesysBaseUrls('moon-1', { apiBaseUrl: 'http://127.0.0.1:1' })).toThrow(
      /unknown Genesys region/,
    );
  });

  it.each([
    ['not a url', /GENESYS_API_BASE_URL must be an absolute http\(s\) URL/],
    ['ftp://example.com', /GENESYS_API_BASE_URL must use http or https/],
    ['https://example.com/?a=1', /must not carry a query/],
    ['https://user:pass@example.com', /must not carry a query, fragment or user info/],
  ])('refuses the override %j with a message naming the variable', (value, expected) => {
    // Prepare
    process.env.GENESYS_API_BASE_URL = value;

    // Act
    const act = () => baseUrlOverridesFromEnvironment();

    // Assess
    expect(act).toThrow(GenesysConfigurationError);
    expect(act).toThrow(expected);
  });

  it('never quotes the user info of a refused URL', () => {
    // Prepare
    process.env.GENESYS_LOGIN_BASE_URL = 'https://user:hunter2-secret@example.com';

    // Act / Assess
    expect(() => baseUrlOverridesFromEnvironment()).toThrow(/GENESYS_LOGIN_BASE_URL/);
    expect(() => baseUrlOverridesFromEnvironment()).not.toThrow(/hunter2/);
  });
});

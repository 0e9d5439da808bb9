import { ENV, optionalEnv } from '../config/environment';
import { GenesysConfigurationError } from './errors';

/**
 * Genesys Cloud regions and their domains (docs/genesys-api-facts.md "Hosts and regions", the same table as the
 * official SDK's PureCloudRegionHosts). The one place for this fact.
 */
export const GENESYS_REGIONS = {
  'us-east-1': 'mypurecloud.com',
  'us-east-2': 'use2.us-gov-pure.cloud',
  'us-west-2': 'usw2.pure.cloud',
  'ca-central-1': 'cac1.pure.cloud',
  'sa-east-1': 'sae1.pure.cloud',
  'mx-central-1': 'mxc1.pure.cloud',
  'eu-west-1': 'mypurecloud.ie',
  'eu-west-2': 'euw2.pure.cloud',
  'eu-central-1': 'mypurecloud.de',
  'eu-central-2': 'euc2.pure.cloud',
  'eusc-de-east-1': 'edee1.eusc-pure.cloud',
  'me-central-1': 'mec1.pure.cloud',
  'ap-south-1': 'aps1.pure.cloud',
  'ap-southeast-1': 'apse1.pure.cloud',
  'ap-southeast-2': 'mypurecloud.com.au',
  'ap-northeast-1': 'mypurecloud.jp',
  'ap-northeast-2': 'apne2.pure.cloud',
  'ap-northeast-3': 'apne3.pure.cloud',
} as const;

export type GenesysRegionName = keyof typeof GENESYS_REGIONS;

export interface GenesysBaseUrls {
  /** `https://api.<domain>` or the override, without a trailing slash. */
  apiBaseUrl: string;
  /** `https://login.<domain>` or the override, without a trailing slash. */
  loginBaseUrl: string;
}

const REGION_NAMES = Object.keys(GENESYS_REGIONS) as GenesysRegionName[];
const DOMAINS = new Set<string>(Object.values(GENESYS_REGIONS));

/** Whether `value` names a region (`eu-west-1`, `EU_WEST_1`) or is a Genesys domain (`mypurecloud.ie`). */
export function isGenesysRegion(value: string): boolean {
  return domainOrUndefined(value) !== undefined;
}

/**
 * The Genesys domain for a region name (`us-east-1`, `us_east_1`, any case) or a bare domain
 * (`mypurecloud.com`). Unknown values get an error listing the valid region names.
 */
export function genesysDomain(regionOrDomain: string): string {
  const domain = domainOrUndefined(regionOrDomain);
  if (domain === undefined) {
    throw new GenesysConfigurationError(
      `unknown Genesys region "${regionOrDomain}": use one of ${REGION_NAMES.join(', ')} ` +
        `(underscores allowed, e.g. us_east_1) or a Genesys domain such as mypurecloud.com`,
    );
  }
  return domain;
}

function domainOrUndefined(value: string): string | undefined {
  const normalized = value.trim().toLowerCase();
  const asRegion = normalized.replaceAll('_', '-');
  if (Object.hasOwn(GENESYS_REGIONS, asRegion)) return GENESYS_REGIONS[asRegion as GenesysRegionName];
  return DOMAINS.has(normalized) ? normalized : undefined;
}

/**
 * API and login base URLs for a region. Overrides (the sandbox, a proxy) win one by one; by default
 * they come from GENESYS_API_BASE_URL / GENESYS_LOGIN_BASE_URL. The region is only resolved when one
 * of the two URLs still needs it.
 */
export function genesysBaseUrls(
  regionOrDomain: string,
  overrides: Partial<GenesysBaseUrls> = baseUrlOverridesFromEnvironment(),
): GenesysBaseUrls {
  if (overrides.apiBaseUrl !== undefined && overrides.loginBaseUrl !== undefined) {
    return { apiBaseUrl: overrides.apiBaseUrl, loginBaseUrl: overrides.loginBaseUrl };
  }
  const domain = genesysDomain(regionOrDomain);
  return {
    apiBaseUrl: overrides.apiBaseUrl ?? `https://api.${domain}`,
    loginBaseUrl: overrides.loginBaseUrl ?? `https://login.${domain}`,
  };
}

/** The base URL overrides set in the environment, validated (http or https, no query), trailing slash removed. */
export function baseUrlOverridesFromEnvironment(): Partial<GenesysBaseUrls> {
  const overrides: Partial<GenesysBaseUrls> = {};
  const api = optionalEnv('genesysApiBaseUrl');
  const login = optionalEnv('genesysLoginBaseUrl');
  if (api !== undefined) overrides.apiBaseUrl = validBaseUrl(api, ENV.genesysApiBaseUrl);
  if (login !== undefined) overrides.loginBaseUrl = validBaseUrl(login, ENV.genesysLoginBaseUrl);
  return overrides;
}

/** Checks a base URL (`what` names its source in the error) and drops a trailing slash. */
export function validBaseUrl(value: string, what: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new GenesysConfigurationError(
      `${what} must be an absolute http(s) URL such as https://api.mypurecloud.com`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new GenesysConfigurationError(`${what} must use http or https, got "${url.protocol}"`);
  }
  if (url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    throw new GenesysConfigurationError(`${what} must not carry a query, fragment or user info`);
  }
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}

/** The start banner names where a real org's calls go, overrides included. */
import { describe, expect, it } from 'vitest';
import { describeGenesysHosts } from '../../local/genesys-target';

describe('describeGenesysHosts', () => {
  it("names the region's hosts when nothing is overridden", () => {
    // Act
    const line = describeGenesysHosts('eu-west-1', {});

    // Assess
    expect(line).toBe('API https://api.mypurecloud.ie, login https://login.mypurecloud.ie');
  });

  it('says loudly that a host is overridden, and by which variable', () => {
    // Act
    const line = describeGenesysHosts('eu-west-1', { GENESYS_API_BASE_URL: 'http://127.0.0.1:9999' });

    // Assess
    expect(line).toBe(
      "API http://127.0.0.1:9999, login https://login.mypurecloud.ie (OVERRIDDEN by GENESYS_API_BASE_URL, not the region's hosts)",
    );
  });
});

// The rule that decides the built site's address: local and test builds may fall back to localhost, a
// deploy build (DEPLOY=1) must name a public SITE_URL or the build stops.
import { describe, expect, it } from 'vitest';
import { isDeployBuild, LOCAL_SITE_URL, resolveSiteUrl, SiteUrlError } from '../../../src/integrations/site-url.ts';

describe('isDeployBuild', () => {
  it('is on for DEPLOY=1 or true, off when unset, empty, 0 or false', () => {
    expect(isDeployBuild({ DEPLOY: '1' })).toBe(true);
    expect(isDeployBuild({ DEPLOY: 'true' })).toBe(true);
    expect(isDeployBuild({})).toBe(false);
    expect(isDeployBuild({ DEPLOY: '' })).toBe(false);
    expect(isDeployBuild({ DEPLOY: '0' })).toBe(false);
    expect(isDeployBuild({ DEPLOY: 'false' })).toBe(false);
  });

  it('does not follow CI: the test command builds with CI set and no SITE_URL', () => {
    expect(isDeployBuild({ CI: '1' })).toBe(false);
    expect(resolveSiteUrl({ CI: '1' })).toBe(LOCAL_SITE_URL);
  });
});

describe('resolveSiteUrl', () => {
  it('falls back to localhost for local and test builds', () => {
    expect(resolveSiteUrl({})).toBe('http://localhost:4321');
    expect(resolveSiteUrl({ SITE_URL: '' })).toBe('http://localhost:4321');
  });

  it('uses SITE_URL when it is set', () => {
    expect(resolveSiteUrl({ SITE_URL: 'https://example.github.io' })).toBe('https://example.github.io');
    expect(resolveSiteUrl({ SITE_URL: 'https://docs.example.com', DEPLOY: '1' })).toBe('https://docs.example.com');
  });

  it('stops a deploy build without SITE_URL, and says what to set', () => {
    for (const env of [{ DEPLOY: '1' }, { DEPLOY: '1', SITE_URL: '  ' }]) {
      expect(() => resolveSiteUrl(env)).toThrow(SiteUrlError);
      expect(() => resolveSiteUrl(env)).toThrow(/SITE_URL/);
      expect(() => resolveSiteUrl(env)).toThrow(/DEPLOY=1 SITE_URL=https:\/\/docs\.example\.com npm run build/);
    }
  });

  it('stops a deploy build whose SITE_URL points at this machine', () => {
    for (const local of ['http://localhost:4321', 'http://127.0.0.1:8080', 'http://[::1]:4321', 'http://docs.localhost']) {
      expect(() => resolveSiteUrl({ DEPLOY: '1', SITE_URL: local })).toThrow(/public address/);
    }
    expect(resolveSiteUrl({ SITE_URL: 'http://localhost:4321' })).toBe('http://localhost:4321');
  });

  it('refuses a SITE_URL that is not an absolute http(s) URL', () => {
    expect(() => resolveSiteUrl({ SITE_URL: 'docs.example.com' })).toThrow(/absolute URL/);
    expect(() => resolveSiteUrl({ SITE_URL: 'ftp://docs.example.com', DEPLOY: '1' })).toThrow(/http\(s\)/);
  });
});

/**
 * The address the site is built for (Astro's `site`): canonical URLs, the sitemap, robots.txt, social
 * preview tags and llms.txt all start with it.
 *
 * - Local and test builds (no DEPLOY) may leave SITE_URL unset: they get http://localhost:4321.
 * - A deploy build (DEPLOY=1, or DEPLOY=true) must name its address: without SITE_URL, or with one that
 *   is not an absolute http(s) URL or that points at localhost, the build stops with a clear message,
 *   so a published site never links to localhost.
 */

export const LOCAL_SITE_URL = 'http://localhost:4321';

/** True when the environment asks for a deploy build. */
export function isDeployBuild(env: Record<string, string | undefined>): boolean {
  const value = (env.DEPLOY ?? '').trim().toLowerCase();
  return value !== '' && value !== '0' && value !== 'false' && value !== 'no';
}

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '0.0.0.0']);

function isLocalHost(hostname: string): boolean {
  return LOCAL_HOSTS.has(hostname) || hostname.endsWith('.localhost');
}

export class SiteUrlError extends Error {
  override readonly name = 'SiteUrlError';
}

/** The site URL for this build, or a SiteUrlError that says what to set. */
export function resolveSiteUrl(env: Record<string, string | undefined>): string {
  const value = (env.SITE_URL ?? '').trim();
  const deploy = isDeployBuild(env);
  if (value === '') {
    if (!deploy) return LOCAL_SITE_URL;
    throw new SiteUrlError(
      'DEPLOY is set but SITE_URL is not: a deploy build needs the address the site will live at, for its canonical URLs, ' +
        'sitemap and llms.txt. Run e.g. `DEPLOY=1 SITE_URL=https://docs.example.com npm run build` ' +
        '(add BASE_PATH=/sub-path/ when the site lives under a sub-path).',
    );
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new SiteUrlError(`SITE_URL must be an absolute URL such as https://docs.example.com, not ${JSON.stringify(value)}.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new SiteUrlError(`SITE_URL must be an http(s) URL, not ${JSON.stringify(value)}.`);
  }
  if (deploy && isLocalHost(url.hostname)) {
    throw new SiteUrlError(
      `DEPLOY is set but SITE_URL points at ${url.hostname}: a deploy build must use the public address of the site, not ${JSON.stringify(value)}.`,
    );
  }
  return value;
}

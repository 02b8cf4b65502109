// The data the docs components render: it must agree with the verdict engine, and the pages' links and
// commands must point at things that exist.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CLAIMS,
  SAMPLE_CLAIMS,
  checkClaimsAgainstEngine,
  claimExample,
  excerpt,
  exchange,
  requestText,
  routeFor,
  sampleToken,
} from '../../../src/components/docs/data';
import { playgroundCase, withBase } from '../../../src/components/docs/url';
import { type Code, OUTCOMES, REQUIRED_CLAIMS } from '../../../src/contract/data/contract.ts';
import { EXAMPLE_SCENARIO, SCENARIOS } from '../../../src/contract/scenarios/index.ts';
import { EXAMPLE_AUDIENCE, EXAMPLE_ISSUER, TEST_SECRET, VECTOR_NOW } from '../../../src/contract/data/fixtures.ts';
import { signClaims, STANDARD_HEADER } from '../../../src/contract/codec/sign.ts';
import { verdict } from '../../../src/contract/verifier/verify.ts';

const configured = { secret: TEST_SECRET, now: VECTOR_NOW, issuer: EXAMPLE_ISSUER, audience: EXAMPLE_AUDIENCE };
async function answer(claims: Record<string, unknown>, config: Partial<typeof configured> = {}) {
  const token = await signClaims(claims, TEST_SECRET);
  return verdict({ ...configured, ...config, authorization: `Bearer ${token}` });
}

describe('claims table', () => {
  it('marks exactly the engine\'s required claims as required', () => {
    expect(() => checkClaimsAgainstEngine()).not.toThrow();
    expect(CLAIMS.filter((claim) => claim.use === 'required').map((claim) => claim.name)).toEqual([...REQUIRED_CLAIMS]);
  });

  it('accepts every example value together', async () => {
    const claims = Object.fromEntries(CLAIMS.map((claim) => [claim.name, JSON.parse(claimExample(claim.name))]));
    expect(await answer(claims)).toMatchObject({ status: 200, code: null });
  });

  for (const claim of CLAIMS) {
    it(`refuses ${claim.name} = ${JSON.stringify(claim.refused.value)} with ${claim.refused.code}`, async () => {
      expect((await answer({ ...SAMPLE_CLAIMS, [claim.name]: claim.refused.value })).code).toBe(claim.refused.code);
    });

    it(`answers a token without ${claim.name} as its use (${claim.use}) says`, async () => {
      const { [claim.name]: _removed, ...rest } = SAMPLE_CLAIMS;
      const expected: Record<string, Code | null> = { sub: 'missing_claim', email: 'missing_claim', iat: 'missing_claim', exp: 'missing_claim', iss: 'wrong_issuer', aud: 'wrong_audience' };
      expect((await answer(rest)).code).toBe(claim.use === 'optional' ? null : expected[claim.name]);
      if (claim.use === 'recommended') {
        // checked only when the backend is configured with it
        expect((await answer(rest, { issuer: undefined, audience: undefined })).code).toBeNull();
      }
    });
  }
});

describe('sample token', () => {
  it('is a real HS256 token with the standard header, accepted by the engine', async () => {
    const sample = await sampleToken();
    expect(sample.segments.join('.')).toBe(sample.token);
    expect(JSON.parse(Buffer.from(sample.segments[0], 'base64url').toString('utf8'))).toEqual(STANDARD_HEADER);
    expect(JSON.parse(Buffer.from(sample.segments[1], 'base64url').toString('utf8'))).toEqual(SAMPLE_CLAIMS);
    expect(sample.verdict).toMatchObject({ status: 200, code: null });
    expect(sample.secret).toBe(TEST_SECRET);
  });
});

describe('request and response examples', () => {
  for (const [code, name] of Object.entries(EXAMPLE_SCENARIO)) {
    it(`shows ${code} (${name}) with the outcome's status, challenge and body`, async () => {
      const example = await exchange(name);
      const outcome = OUTCOMES.find((candidate) => candidate.code === code);
      expect(example.verdict.status).toBe(outcome?.status ?? 200);
      expect(example.response.split('\n')[0]).toMatch(new RegExp(`^HTTP/1.1 ${outcome?.status ?? 200} `));
      if (outcome?.wwwAuthenticate) expect(example.response).toContain(`WWW-Authenticate: ${outcome.wwwAuthenticate}`);
      else expect(example.response).not.toContain('WWW-Authenticate');
      if (outcome) expect(example.response).toContain(JSON.stringify({ detail: outcome.detail, code: outcome.code }));
      expect(example.request).toMatch(/^GET \/api\/\S+ HTTP\/1.1\nHost: localhost:8000/);
    });
  }

  it('writes one Authorization line per header, none for no header', () => {
    expect(requestText({ authorization: ['Bearer a', 'Bearer b'] }).match(/^Authorization: /gm)).toHaveLength(2);
    expect(requestText({ authorization: null })).not.toContain('Authorization');
  });

  it('sends scoped requests to the reference routes and refuses a role it has no route for', () => {
    expect(routeFor({ pathUserId: 'user_456' })).toBe('/api/users/user_456/tasks');
    expect(routeFor({ requiredRole: 'admin' })).toBe('/api/admin/stats');
    expect(() => routeFor({ requiredRole: 'editor' })).toThrow(/editor/);
  });

  it('refuses a scenario that does not exist', async () => {
    await expect(exchange('no-such-case')).rejects.toThrow(/unknown scenario/);
  });
});

describe('code excerpts', () => {
  const text = 'a\nb start\nc\n\nd end\ne\n';
  it('cuts from the first marker up to the next line with the second, without trailing blank lines', () => {
    expect(excerpt(text, 'b', 'd')).toEqual({ text: 'b start\nc', first: 2, last: 3 });
    expect(excerpt(text, 'd')).toEqual({ text: 'd end\ne', first: 5, last: 6 });
  });
  it('fails loudly when a marker is gone', () => {
    expect(() => excerpt(text, 'zzz')).toThrow(/no line starts with "zzz"/);
    expect(() => excerpt(text, 'b', 'zzz')).toThrow(/no line after 2/);
  });
});

describe('links', () => {
  it('puts the base path in front of root-relative paths only', () => {
    expect(withBase('/reference/errors/', '/')).toBe('/reference/errors/');
    expect(withBase('/reference/errors/', '/docs')).toBe('/docs/reference/errors/');
    expect(withBase('https://example.com/', '/docs/')).toBe('https://example.com/');
  });
  it('links only to scenarios that exist', () => {
    expect(playgroundCase('expired', '/')).toBe('/playground/#case=expired');
    expect(() => playgroundCase('not-a-scenario', '/')).toThrow(/unknown scenario/);
  });
});

// ----- the pages themselves -----

const CONTENT = new URL('../../../content/docs', import.meta.url).pathname;
function pages(dir = CONTENT): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? pages(path) : name.endsWith('.mdx') || name.endsWith('.md') ? [path] : [];
  });
}
const read = (path: string) => readFileSync(path, 'utf8');

describe('docs pages', () => {
  it('every page has a description in its front matter', () => {
    for (const page of pages()) expect(read(page), page).toMatch(/^---\n[\s\S]*?^description: \S.{40,}$/m);
  });

  it('every playground link names a scenario that exists', () => {
    const names = new Set(SCENARIOS.map((scenario) => scenario.name));
    const links = pages().flatMap((page) => [...read(page).matchAll(/#case=([a-z0-9-]+)/g)].map((match) => ({ page, name: match[1]! })));
    expect(links.length).toBeGreaterThan(20);
    for (const link of links) expect(names.has(link.name), `${link.page}: #case=${link.name}`).toBe(true);
  });

  it('every flag the conformance page documents exists in the conformance CLI', () => {
    // The options are parsed in src/cli/conformance/options.ts (src/cli/conformance.ts is only the entry).
    const cli = ['conformance.ts', 'conformance/options.ts']
      .map((file) => new URL(`../../../src/cli/${file}`, import.meta.url))
      .filter((url) => existsSync(url))
      .map((url) => readFileSync(url, 'utf8'))
      .join('\n');
    const documented = [...read(join(CONTENT, 'guides/conformance.mdx')).matchAll(/^\| `--([a-z-]+)/gm)].map((match) => match[1]!);
    expect(documented).toEqual(expect.arrayContaining(['base-url', 'secret', 'issuer', 'audience', 'me-path', 'user-path', 'role-path', 'role', 'json', 'junit']));
    for (const flag of documented) expect(cli, `--${flag}`).toMatch(new RegExp(`['"]?${flag}['"]?: \\{ type:`));
  });

  it('every verdict CLI flag used in the pages exists', () => {
    // The entry (src/cli/verdict.ts) and the command itself (src/cli/verdict/main.ts), where the flags are.
    const cli = ['verdict.ts', 'verdict/main.ts']
      .map((file) => new URL(`../../../src/cli/${file}`, import.meta.url))
      .filter((url) => existsSync(url))
      .map((url) => readFileSync(url, 'utf8'))
      .join('\n');
    const used = new Set(pages().flatMap((page) => [...read(page).matchAll(/npm run verdict -- ([^\n`]*)/g)].flatMap((match) => [...match[1]!.matchAll(/--([a-z-]+)/g)].map((flag) => flag[1]!))));
    expect(used.size).toBeGreaterThan(2);
    for (const flag of used) expect(cli, `--${flag}`).toContain(`--${flag}`);
  });

  it('every mermaid diagram has accTitle and accDescr', () => {
    for (const page of pages()) {
      for (const match of read(page).matchAll(/```mermaid\n([\s\S]*?)```/g)) {
        expect(match[1], page).toMatch(/^\s*accTitle: \S/m);
        expect(match[1], page).toMatch(/^\s*accDescr: \S/m);
      }
    }
  });
});

/**
 * The browser API client (lib/api-client.ts) in Node, against an in-process API that answers with the
 * verdict engine (the same answers the FastAPI example gives; backend.e2e.ts repeats the key cases
 * against the real FastAPI app), and against the real token route with Better Auth.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { REFRESH_BEFORE_EXPIRY as CONTRACT_REFRESH_BEFORE_EXPIRY } from '../../../src/contract/data/contract.ts';
import { OTHER_TEST_SECRET } from '../../../src/contract/data/fixtures.ts';
import { contractClaims, signClaims } from '../../../src/contract/codec/sign.ts';
import { evaluate } from '../../../src/contract/verifier/verify.ts';
import { createTokenRoute } from '../lib/token-route';
import { ApiError, ConfigurationError, type IssuedToken, REFRESH_BEFORE_EXPIRY, challengeError, createApiClient, tokenExpiry, tokenFromRoute } from '../lib/api-client';
import { type Auth, createAuth } from '../lib/auth';
import { createAuthWithJwtPlugin } from '../lib/auth-jwt-plugin';
import { TEST_CONFIG, memoryDatabase, signedInUser } from './support';

const API = 'https://api.example.test';
const USER = 'user_123';

/** An API on the verdict engine: /api/me, /api/users/{id}/tasks (scoped), /api/admin/stats (role admin). */
function engineApi(options: { secret?: string | null; now?: () => number; stripAuthorization?: boolean } = {}) {
  const seen: (string | null)[] = [];
  const fetchImpl: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    const authorization = options.stripAuthorization ? null : request.headers.get('authorization');
    seen.push(authorization);
    const path = new URL(request.url).pathname;
    const { verdict } = await evaluate({
      authorization,
      secret: options.secret === undefined ? TEST_CONFIG.secret : options.secret,
      now: (options.now ?? Date.now)() / 1000,
      issuer: TEST_CONFIG.issuer,
      audience: TEST_CONFIG.audience,
      pathUserId: path.match(/^\/api\/users\/([^/]+)\/tasks$/)?.[1],
      requiredRole: path === '/api/admin/stats' ? 'admin' : undefined,
    });
    const headers = new Headers({ 'content-type': 'application/json' });
    if (verdict.wwwAuthenticate) headers.set('WWW-Authenticate', verdict.wwwAuthenticate);
    return new Response(JSON.stringify(verdict.body ?? { path }), { status: verdict.status, headers });
  };
  return { fetch: fetchImpl, seen };
}

/** A token source that mints tokens (valid ones by default) and counts how often it was asked. */
function mintingSource(mint: (call: number) => { secret?: string; now?: number; role?: string; lifetime?: number } = () => ({})) {
  const source = {
    calls: 0,
    issued: [] as IssuedToken[],
    async getToken(): Promise<IssuedToken> {
      const options = mint(++source.calls);
      const claims = contractClaims({
        now: options.now ?? Date.now() / 1000,
        sub: USER,
        issuer: TEST_CONFIG.issuer,
        audience: TEST_CONFIG.audience,
        role: options.role,
        lifetime: options.lifetime,
      });
      const issued = { token: await signClaims(claims, options.secret ?? TEST_CONFIG.secret), expiresAt: claims.exp as number };
      source.issued.push(issued);
      return issued;
    },
  };
  return source;
}

async function failure(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

describe('API client: headers and token cache', () => {
  it('uses the contract refresh margin', () => {
    expect(REFRESH_BEFORE_EXPIRY).toBe(CONTRACT_REFRESH_BEFORE_EXPIRY);
  });

  it('sends exactly one Bearer header, replacing any Authorization the caller passed', async () => {
    const api = engineApi();
    const source = mintingSource();
    const client = createApiClient({ baseUrl: API, fetch: api.fetch, getToken: () => source.getToken() });
    await client.request('/api/me', { headers: { Authorization: 'Bearer stale', 'X-Trace': '1' } });
    await client.request('/api/me', { headers: [['authorization', 'Basic abc']] });
    expect(api.seen).toEqual([`Bearer ${source.issued[0]!.token}`, `Bearer ${source.issued[0]!.token}`]);
  });

  it('keeps the token in memory and reuses it until 60 s before exp', async () => {
    const api = engineApi();
    const source = mintingSource();
    let clock = Date.now();
    const client = createApiClient({ baseUrl: API, fetch: api.fetch, getToken: () => source.getToken(), now: () => clock });
    expect(await client.json('/api/me')).toEqual({ path: '/api/me' });
    const { expiresAt } = source.issued[0]!;
    clock = (expiresAt - REFRESH_BEFORE_EXPIRY - 1) * 1000;
    await client.request('/api/me');
    expect(source.calls).toBe(1);
    clock = (expiresAt - REFRESH_BEFORE_EXPIRY) * 1000;
    await client.request('/api/me');
    expect(source.calls).toBe(2);
    expect(api.seen.at(-1)).toBe(`Bearer ${source.issued[1]!.token}`);
  });

  it('shares one token request between concurrent calls', async () => {
    const api = engineApi();
    const source = mintingSource();
    const client = createApiClient({ baseUrl: API, fetch: api.fetch, getToken: () => source.getToken() });
    await Promise.all([client.request('/api/me'), client.request('/api/me'), client.request(`/api/users/${USER}/tasks`)]);
    expect(source.calls).toBe(1);
    expect(api.seen).toHaveLength(3);
  });

  it('forgets the token on clearToken()', async () => {
    const api = engineApi();
    const source = mintingSource();
    const client = createApiClient({ baseUrl: API, fetch: api.fetch, getToken: () => source.getToken() });
    await client.request('/api/me');
    client.clearToken();
    await client.request('/api/me');
    expect(source.calls).toBe(2);
  });
});

describe('API client: refresh once, never on 403', () => {
  it('after 401 invalid_token (expired) fetches one new token and retries once', async () => {
    const api = engineApi();
    // The first token expired an hour ago; the client's clock is an hour behind, so it still looks fresh.
    const hourAgo = Date.now() / 1000 - 3600;
    const source = mintingSource((call) => (call === 1 ? { now: hourAgo - 900 } : {}));
    const client = createApiClient({ baseUrl: API, fetch: api.fetch, getToken: () => source.getToken(), now: () => Date.now() - 3_600_000 });
    expect(await client.json('/api/me')).toEqual({ path: '/api/me' });
    expect(source.calls).toBe(2);
    expect(api.seen).toEqual([`Bearer ${source.issued[0]!.token}`, `Bearer ${source.issued[1]!.token}`]);
  });

  it('a refused fresh token is a configuration error, not a sign-in (v1.1): exactly one retry', async () => {
    const api = engineApi();
    const source = mintingSource(() => ({ secret: OTHER_TEST_SECRET }));
    const client = createApiClient({ baseUrl: API, fetch: api.fetch, getToken: () => source.getToken() });
    const error = await failure(client.request('/api/me'));
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error).toMatchObject({ kind: 'configuration', status: 401, code: 'bad_signature', body: { code: 'bad_signature' } });
    expect(error.challenge).toBe('Bearer realm="api", error="invalid_token"');
    expect(api.seen).toHaveLength(2);
    expect(source.calls).toBe(2);
    // The refused token is not kept: the next call starts with a new one, and again retries only once.
    await failure(client.request('/api/me'));
    expect(source.calls).toBe(4);
    expect(api.seen).toHaveLength(4);
  });

  it('a session that ended between the 401 and the refresh means sign in', async () => {
    const api = engineApi();
    const source = mintingSource(() => ({ secret: OTHER_TEST_SECRET }));
    let calls = 0;
    const client = createApiClient({ baseUrl: API, fetch: api.fetch, getToken: async () => (++calls === 1 ? source.getToken() : null) });
    expect(await failure(client.request('/api/me'))).toMatchObject({ kind: 'sign-in', status: null });
    expect(api.seen).toHaveLength(1);
    expect(calls).toBe(2);
  });

  it('never retries a 403', async () => {
    const api = engineApi();
    const source = mintingSource(() => ({ role: 'user' }));
    const client = createApiClient({ baseUrl: API, fetch: api.fetch, getToken: () => source.getToken() });
    expect(await failure(client.request('/api/admin/stats'))).toMatchObject({ kind: 'forbidden', status: 403, code: 'insufficient_role' });
    expect(await failure(client.request('/api/users/user_456/tasks'))).toMatchObject({ kind: 'forbidden', code: 'user_mismatch' });
    expect(api.seen).toHaveLength(2);
    expect(source.calls).toBe(1);
  });

  it('a 401 without an error attribute (missing_token): one new token, one retry, then a configuration error', async () => {
    const api = engineApi({ stripAuthorization: true });
    const source = mintingSource();
    const client = createApiClient({ baseUrl: API, fetch: api.fetch, getToken: () => source.getToken() });
    const error = await failure(client.request('/api/me'));
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error).toMatchObject({ kind: 'configuration', status: 401, code: 'missing_token' });
    expect(api.seen).toHaveLength(2);
    expect(source.calls).toBe(2);
  });

  it('a 401 missing_token that a retry fixes (the header got lost once) answers normally', async () => {
    const inner = engineApi();
    let calls = 0;
    const flaky: typeof fetch = async (input, init) => {
      const request = new Request(input, init);
      if (++calls === 1) request.headers.delete('authorization');
      return inner.fetch(request);
    };
    const source = mintingSource();
    const client = createApiClient({ baseUrl: API, fetch: flaky, getToken: () => source.getToken() });
    expect(await client.json('/api/me')).toEqual({ path: '/api/me' });
    expect(calls).toBe(2);
    expect(source.calls).toBe(2);
  });

  it('a 503 keys_unavailable is temporary: no retry, no sign-in', async () => {
    const source = mintingSource();
    const unavailable: typeof fetch = async () =>
      Response.json({ detail: 'The key set cannot be fetched.', code: 'keys_unavailable' }, { status: 503 });
    const client = createApiClient({ baseUrl: API, fetch: unavailable, getToken: () => source.getToken() });
    expect(await failure(client.request('/api/me'))).toMatchObject({ kind: 'unavailable', status: 503, code: 'keys_unavailable' });
    expect(source.calls).toBe(1);
  });

  it('asks the user to sign in, without calling the API, when there is no session', async () => {
    const api = engineApi();
    let asked = 0;
    const client = createApiClient({ baseUrl: API, fetch: api.fetch, getToken: async () => (asked++, null) });
    expect(await failure(client.request('/api/me'))).toMatchObject({ kind: 'sign-in', status: null });
    expect(api.seen).toHaveLength(0);
    expect(asked).toBe(1);
  });

  it('reports a misconfigured API as a server error, without retrying', async () => {
    const api = engineApi({ secret: null });
    const source = mintingSource();
    const client = createApiClient({ baseUrl: API, fetch: api.fetch, getToken: () => source.getToken() });
    expect(await failure(client.request('/api/me'))).toMatchObject({ kind: 'server', status: 500, code: 'server_misconfigured' });
    expect(api.seen).toHaveLength(1);
  });

  it('turns a failed fetch into a network error', async () => {
    const source = mintingSource();
    const offline: typeof fetch = async () => {
      throw new TypeError('fetch failed');
    };
    const client = createApiClient({ baseUrl: API, fetch: offline, getToken: () => source.getToken() });
    expect(await failure(client.request('/api/me'))).toMatchObject({ kind: 'network', status: null });
  });
});

describe('API client: reading challenges and tokens', () => {
  it('reads the error attribute of WWW-Authenticate', () => {
    expect(challengeError('Bearer realm="api", error="invalid_token"')).toBe('invalid_token');
    expect(challengeError('Bearer realm="api", error="insufficient_scope"')).toBe('insufficient_scope');
    expect(challengeError('Bearer error=invalid_token')).toBe('invalid_token');
    expect(challengeError('Bearer realm="api"')).toBeNull();
    expect(challengeError('Bearer realm="api", error_description="error=invalid_token"')).toBeNull();
    expect(challengeError(null)).toBeNull();
  });

  it('reads exp from a token without verifying it', async () => {
    const claims = contractClaims({ now: 1_767_225_600 });
    expect(tokenExpiry(await signClaims(claims, TEST_CONFIG.secret))).toBe(1_767_225_600 + 900);
    expect(tokenExpiry('not-a-jwt')).toBeNull();
    expect(tokenExpiry('e30.e30.')).toBeNull();
  });
});

describe('API client with the real token route and Better Auth', () => {
  let auth: Auth;
  beforeAll(() => {
    auth = createAuth({ database: memoryDatabase(), secret: TEST_CONFIG.secret, baseURL: TEST_CONFIG.baseURL });
  });

  /** A browser fetch for the app's origin: same-origin calls carry the session cookie to the token route. */
  function appFetch(route: (request: Request) => Promise<Response>, cookie: string | null): typeof fetch {
    return async (input, init) => {
      const request = new Request(new URL(String(input), TEST_CONFIG.baseURL), init);
      if (cookie) request.headers.set('cookie', cookie);
      return route(request);
    };
  }

  it('gets its token from /api/token and the API accepts it', async () => {
    const user = await signedInUser(auth, 'client@example.com');
    const route = createTokenRoute({ auth, secret: TEST_CONFIG.secret, issuer: TEST_CONFIG.issuer, audience: TEST_CONFIG.audience });
    const api = engineApi();
    const client = createApiClient({ baseUrl: API, fetch: api.fetch, getToken: tokenFromRoute('/api/token', appFetch(route, user.cookie)) });
    expect(await client.json(`/api/users/${user.id}/tasks`)).toEqual({ path: `/api/users/${user.id}/tasks` });
  });

  it('asks for sign-in when the token route answers 401', async () => {
    const route = createTokenRoute({ auth, secret: TEST_CONFIG.secret });
    const api = engineApi();
    const client = createApiClient({ baseUrl: API, fetch: api.fetch, getToken: tokenFromRoute('/api/token', appFetch(route, null)) });
    expect(await failure(client.request('/api/me'))).toMatchObject({ kind: 'sign-in' });
    expect(api.seen).toHaveLength(0);
  });

  it("reads exp from the token of Better Auth's own /api/auth/token (JWT plugin variant)", async () => {
    const pluginAuth = createAuthWithJwtPlugin({ database: memoryDatabase(), ...TEST_CONFIG });
    const user = await signedInUser(pluginAuth, 'plugin-client@example.com');
    const getToken = tokenFromRoute('/api/auth/token', appFetch(pluginAuth.handler, user.cookie));
    const issued = await getToken();
    expect(issued?.expiresAt).toBe(tokenExpiry(issued!.token));
    expect(issued!.expiresAt).toBeGreaterThan(Date.now() / 1000 + 800);
    const api = engineApi();
    const client = createApiClient({ baseUrl: API, fetch: api.fetch, getToken });
    expect(await client.json('/api/me')).toEqual({ path: '/api/me' });
  });
});

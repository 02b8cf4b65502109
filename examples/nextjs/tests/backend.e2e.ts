/**
 * End to end against the running FastAPI example (started by scripts/backend-e2e.ts, which passes its URL
 * in BACKEND_URL): real Better Auth sessions, the real token route, real HTTP to uvicorn.
 *   npm run test:backend
 */
import { betterAuth } from 'better-auth';
import { jwt } from 'better-auth/plugins';
import { beforeAll, describe, expect, it } from 'vitest';
import { OTHER_TEST_SECRET } from '../../../src/contract/data/fixtures.ts';
import { createTokenRoute } from '../lib/token-route';
import { ApiError, ConfigurationError, createApiClient, tokenFromRoute } from '../lib/api-client';
import { type Auth, authOptions, createAuth } from '../lib/auth';
import { createAuthWithJwtPlugin } from '../lib/auth-jwt-plugin';
import { PASSWORD, TEST_CONFIG, cookieFrom, decodeJwt, memoryDatabase, signedInUser } from './support';

const BACKEND = process.env.BACKEND_URL;
if (!BACKEND) throw new Error('BACKEND_URL is not set: run these tests with `npm run test:backend`, which starts the FastAPI example.');
const ORIGIN = TEST_CONFIG.issuer;

interface ApiAnswer {
  status: number;
  challenge: string | null;
  body: Record<string, unknown>;
}

/** One call to the FastAPI app with Node's fetch (undici), as a browser on ORIGIN would make it. */
async function call(path: string, token?: string): Promise<ApiAnswer> {
  const headers: Record<string, string> = { Origin: ORIGIN };
  if (token !== undefined) headers.Authorization = `Bearer ${token}`;
  const response = await fetch(`${BACKEND}${path}`, { headers });
  return { status: response.status, challenge: response.headers.get('www-authenticate'), body: (await response.json()) as Record<string, unknown> };
}

const tokenRequest = (cookie?: string) => new Request(`${TEST_CONFIG.baseURL}/api/token`, { headers: cookie ? { cookie } : {} });

describe('Better Auth -> token route -> FastAPI', () => {
  let auth: Auth;
  let route: (request: Request) => Promise<Response>;
  let ada: { id: string; cookie: string };
  let adaToken: string;
  beforeAll(async () => {
    auth = createAuth({ database: memoryDatabase(), secret: TEST_CONFIG.secret, baseURL: TEST_CONFIG.baseURL });
    route = createTokenRoute({ auth, secret: TEST_CONFIG.secret, issuer: TEST_CONFIG.issuer, audience: TEST_CONFIG.audience });
    ada = await signedInUser(auth, 'ada@example.com');
    adaToken = ((await (await route(tokenRequest(ada.cookie))).json()) as { token: string }).token;
  });

  it("GET /api/me answers 200 with the user's verified claims", async () => {
    const answer = await call('/api/me', adaToken);
    expect(answer.status).toBe(200);
    expect(answer.challenge).toBeNull();
    expect(answer.body).toEqual(decodeJwt(adaToken).payload);
    expect(answer.body).toMatchObject({ sub: ada.id, email: 'ada@example.com', role: 'user', iss: TEST_CONFIG.issuer, aud: TEST_CONFIG.audience });
  });

  it("the user's own tasks: 200; another user's: 403 user_mismatch", async () => {
    const own = await call(`/api/users/${encodeURIComponent(ada.id)}/tasks`, adaToken);
    expect(own.status).toBe(200);
    expect(own.body.user_id).toBe(ada.id);

    const grace = await signedInUser(auth, 'grace@example.com', 'Grace Hopper');
    const other = await call(`/api/users/${encodeURIComponent(grace.id)}/tasks`, adaToken);
    expect(other).toMatchObject({ status: 403, challenge: 'Bearer realm="api", error="insufficient_scope"' });
    expect(other.body).toEqual({ detail: expect.any(String), code: 'user_mismatch' });
  });

  it('the admin route: 403 insufficient_role for a user, 200 for an admin', async () => {
    const refused = await call('/api/admin/stats', adaToken);
    expect(refused).toMatchObject({ status: 403, challenge: 'Bearer realm="api", error="insufficient_scope"' });
    expect(refused.body.code).toBe('insufficient_role');

    const { user } = await auth.api.createUser({ body: { email: 'root@example.com', password: PASSWORD, name: 'Root', role: 'admin' } });
    const signIn = await auth.api.signInEmail({ body: { email: 'root@example.com', password: PASSWORD }, returnHeaders: true });
    const { token } = (await (await route(tokenRequest(cookieFrom(signIn.headers)))).json()) as { token: string };
    const allowed = await call('/api/admin/stats', token);
    expect(allowed.status).toBe(200);
    expect(allowed.body.requested_by).toBe(user.id);
  });

  it('the JWT plugin variant issues tokens the API accepts too', async () => {
    const pluginAuth = createAuthWithJwtPlugin({ database: memoryDatabase(), ...TEST_CONFIG });
    const user = await signedInUser(pluginAuth, 'plugin@example.com');
    const { token } = await pluginAuth.api.getToken({ headers: new Headers({ cookie: user.cookie }) });
    const answer = await call('/api/me', token);
    expect(answer.status).toBe(200);
    expect(answer.body.sub).toBe(user.id);
  });

  it('no token: 401 missing_token, a challenge without error', async () => {
    const answer = await call('/api/me');
    expect(answer).toMatchObject({ status: 401, challenge: 'Bearer realm="api"' });
    expect(answer.body).toEqual({ detail: expect.any(String), code: 'missing_token' });
  });

  it("refuses what Better Auth hands out besides the token: the session token, the cookie cache JWT, the plugin's own EdDSA tokens", async () => {
    // The session cookie's value "<session token>.<HMAC in standard base64>" is also what the bearer
    // plugin's set-auth-token header carries; neither it nor the bare session token is a JWT.
    const cookieValue = decodeURIComponent(ada.cookie.split('session_token=')[1]!);
    expect((await call('/api/me', cookieValue)).body.code).toBe('malformed_token');
    expect((await call('/api/me', cookieValue.split('.')[0]!)).body.code).toBe('malformed_token');

    // The cookie cache with strategy "jwt" is an HS256 JWS signed with the same secret: it must not pass.
    const cached = betterAuth({
      ...authOptions({ database: memoryDatabase(), secret: TEST_CONFIG.secret, baseURL: TEST_CONFIG.baseURL }),
      session: { cookieCache: { enabled: true, strategy: 'jwt' } },
    });
    const user = await signedInUser(cached, 'cache@example.com');
    const sessionData = user.cookie.match(/session_data=([^;]+)/)?.[1];
    expect(sessionData, 'Better Auth set a session_data cookie').toBeTruthy();
    expect(decodeJwt(sessionData!).header.alg).toBe('HS256');
    const answer = await call('/api/me', sessionData);
    expect(answer).toMatchObject({ status: 401, challenge: 'Bearer realm="api", error="invalid_token"' });
    expect(answer.body.code).toBe('missing_claim');

    const eddsa = betterAuth({ ...authOptions({ database: memoryDatabase(), secret: TEST_CONFIG.secret, baseURL: TEST_CONFIG.baseURL }), plugins: [jwt()] });
    const eddsaUser = await signedInUser(eddsa, 'eddsa@example.com');
    const { token } = await eddsa.api.getToken({ headers: new Headers({ cookie: eddsaUser.cookie }) });
    expect((await call('/api/me', token)).body.code).toBe('unsupported_alg');
  });

  it('lets a browser on the app origin read WWW-Authenticate, and answers the preflight without a token', async () => {
    const response = await fetch(`${BACKEND}/api/me`, { headers: { Origin: ORIGIN, Authorization: 'Bearer x.y.z' } });
    expect(response.status).toBe(401);
    expect(response.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(response.headers.get('access-control-expose-headers')?.toLowerCase()).toContain('www-authenticate');

    const preflight = await fetch(`${BACKEND}/api/me`, {
      method: 'OPTIONS',
      headers: { Origin: ORIGIN, 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'authorization' },
    });
    expect(preflight.status).toBe(200);
    expect(preflight.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization');
  });
});

describe('the API client against the FastAPI app', () => {
  let auth: Auth;
  let ada: { id: string; cookie: string };
  beforeAll(async () => {
    auth = createAuth({ database: memoryDatabase(), secret: TEST_CONFIG.secret, baseURL: TEST_CONFIG.baseURL });
    ada = await signedInUser(auth, 'client@example.com');
  });

  /** The token route in-process, as the browser reaches it (same origin, session cookie), counting calls. */
  function tokenSource(options: { secret?: string; now?: (call: number) => number } = {}) {
    const counter = { calls: 0 };
    const route = createTokenRoute({
      auth,
      secret: options.secret ?? TEST_CONFIG.secret,
      issuer: TEST_CONFIG.issuer,
      audience: TEST_CONFIG.audience,
      now: () => (options.now ? options.now(counter.calls) : Date.now() / 1000),
    });
    const appFetch: typeof fetch = async () => {
      counter.calls++;
      return route(tokenRequest(ada.cookie));
    };
    return { counter, getToken: tokenFromRoute(`${TEST_CONFIG.baseURL}/api/token`, appFetch) };
  }

  /** Real HTTP to the API, counting requests; `strip` drops the Authorization header like a misconfigured proxy. */
  function apiFetch(strip = false) {
    const counter = { calls: 0 };
    const fetchImpl: typeof fetch = async (input, init) => {
      counter.calls++;
      const headers = new Headers(init?.headers);
      if (strip) headers.delete('authorization');
      return fetch(input, { ...init, headers });
    };
    return { counter, fetch: fetchImpl };
  }

  it('expired cached token: 401 invalid_token, one refresh, then 200', async () => {
    // The first token was issued two hours ago; the client's clock is two hours behind, so it looks fresh.
    const tokens = tokenSource({ now: (call) => Date.now() / 1000 - (call === 1 ? 7200 : 0) });
    const api = apiFetch();
    const client = createApiClient({ baseUrl: BACKEND!, fetch: api.fetch, getToken: tokens.getToken, now: () => Date.now() - 7_200_000 });
    const me = await client.json<{ sub: string }>('/api/me');
    expect(me.sub).toBe(ada.id);
    expect(api.counter.calls).toBe(2);
    expect(tokens.counter.calls).toBe(2);
  });

  it('a refused fresh token: exactly one retry, then a configuration error (not sign-in: it would loop)', async () => {
    const tokens = tokenSource({ secret: OTHER_TEST_SECRET });
    const api = apiFetch();
    const client = createApiClient({ baseUrl: BACKEND!, fetch: api.fetch, getToken: tokens.getToken });
    const error = await client.request('/api/me').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error).toMatchObject({ kind: 'configuration', status: 401, code: 'bad_signature' });
    expect((error as ApiError).challenge).toContain('error="invalid_token"');
    expect(api.counter.calls).toBe(2);
    expect(tokens.counter.calls).toBe(2);
  });

  it('403: no retry, no new token', async () => {
    const tokens = tokenSource();
    const api = apiFetch();
    const client = createApiClient({ baseUrl: BACKEND!, fetch: api.fetch, getToken: tokens.getToken });
    const error = await client.request('/api/admin/stats').catch((caught: unknown) => caught);
    expect(error).toMatchObject({ kind: 'forbidden', status: 403, code: 'insufficient_role' });
    expect(api.counter.calls).toBe(1);
    expect(tokens.counter.calls).toBe(1);
    // The cached token still works for what the user may do.
    expect(await client.json<{ user_id: string }>(`/api/users/${encodeURIComponent(ada.id)}/tasks`)).toMatchObject({ user_id: ada.id });
    expect(tokens.counter.calls).toBe(1);
  });

  it('401 missing_token (the header is dropped on the way): one new token, one retry, then a configuration error', async () => {
    const tokens = tokenSource();
    const api = apiFetch(true);
    const client = createApiClient({ baseUrl: BACKEND!, fetch: api.fetch, getToken: tokens.getToken });
    const error = await client.request('/api/me').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error).toMatchObject({ kind: 'configuration', status: 401, code: 'missing_token' });
    expect(api.counter.calls).toBe(2);
    expect(tokens.counter.calls).toBe(2);
  });
});

/**
 * The token route (app/api/token/route.ts) with a real Better Auth 1.7 instance: sign up, sign in, exchange
 * the session cookie for a token, and check the token with the verdict engine.
 */
import { getMigrations } from 'better-auth/db/migration';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEFAULT_LIFETIME, REQUIRED_CLAIMS } from '../../../src/contract/data/contract.ts';
import { OTHER_TEST_SECRET } from '../../../src/contract/data/fixtures.ts';
import { evaluate } from '../../../src/contract/verifier/verify.ts';
import { createTokenRoute, TOKEN_LIFETIME_SECONDS } from '../lib/token-route';
import { type Auth, createAuth } from '../lib/auth';
import { PASSWORD, TEST_CONFIG, cookieFrom, decodeJwt, memoryDatabase, signedInUser, verdictFor } from './support';

const tokenRequest = (cookie?: string) => new Request('http://localhost:3000/api/token', { headers: cookie ? { cookie } : {} });

describe('token route (Better Auth session -> HS256 token)', () => {
  let auth: Auth;
  let GET: (request: Request) => Promise<Response>;
  beforeAll(() => {
    auth = createAuth({ database: memoryDatabase(), secret: TEST_CONFIG.secret, baseURL: TEST_CONFIG.baseURL });
    GET = createTokenRoute({ auth, secret: TEST_CONFIG.secret, issuer: TEST_CONFIG.issuer, audience: TEST_CONFIG.audience });
  });

  it('answers a signed-in user with a token the contract accepts, holding exactly the contract claims', async () => {
    const user = await signedInUser(auth, 'ada@example.com');
    const before = Math.floor(Date.now() / 1000);
    const response = await GET(tokenRequest(user.cookie));
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);

    const body = (await response.json()) as { token: string; expiresAt: number };
    expect(Object.keys(body).sort()).toEqual(['expiresAt', 'token']);
    const { header, payload } = decodeJwt(body.token);
    expect(header).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(Object.keys(payload).sort()).toEqual(['aud', 'email', 'exp', 'iat', 'iss', 'role', 'sub']);
    expect(payload).toMatchObject({ sub: user.id, email: 'ada@example.com', role: 'user', iss: TEST_CONFIG.issuer, aud: TEST_CONFIG.audience });
    expect(payload.iat).toBeGreaterThanOrEqual(before);
    expect(payload.iat).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000));
    expect(payload.exp).toBe((payload.iat as number) + DEFAULT_LIFETIME);
    expect(body.expiresAt).toBe(payload.exp);
    expect(TOKEN_LIFETIME_SECONDS).toBe(DEFAULT_LIFETIME);
    for (const claim of REQUIRED_CLAIMS) expect(payload).toHaveProperty(claim);

    const verdict = await verdictFor(body.token);
    expect(verdict).toMatchObject({ status: 200, code: null });
    // The user's own resources, and nobody else's.
    expect((await verdictFor(body.token, { pathUserId: user.id })).status).toBe(200);
    expect(await verdictFor(body.token, { pathUserId: `${user.id}x` })).toMatchObject({ status: 403, code: 'user_mismatch' });
  });

  it('signs with the UTF-8 bytes of BETTER_AUTH_SECRET, nothing else', async () => {
    const user = await signedInUser(auth, 'grace@example.com', 'Grace Hopper');
    const { token } = (await (await GET(tokenRequest(user.cookie))).json()) as { token: string };
    expect(await verdictFor(token, { secret: OTHER_TEST_SECRET })).toMatchObject({ status: 401, code: 'bad_signature' });
    expect(await verdictFor(token, { secret: `${TEST_CONFIG.secret}\n` })).toMatchObject({ status: 401, code: 'bad_signature' });
  });

  it('copies the Better Auth role into the role claim: admin routes accept an admin and refuse a user', async () => {
    await auth.api.createUser({ body: { email: 'root@example.com', password: PASSWORD, name: 'Root', role: 'admin' } });
    const signIn = await auth.api.signInEmail({ body: { email: 'root@example.com', password: PASSWORD }, returnHeaders: true });
    const admin = (await (await GET(tokenRequest(cookieFrom(signIn.headers)))).json()) as { token: string };
    expect(decodeJwt(admin.token).payload.role).toBe('admin');
    expect(await verdictFor(admin.token, { requiredRole: 'admin' })).toMatchObject({ status: 200 });

    const user = await signedInUser(auth, 'plain@example.com');
    const plain = (await (await GET(tokenRequest(user.cookie))).json()) as { token: string };
    expect(await verdictFor(plain.token, { requiredRole: 'admin' })).toMatchObject({ status: 403, code: 'insufficient_role' });
  });

  it('answers 401 JSON, not a token, without a session', async () => {
    for (const cookie of [undefined, 'better-auth.session_token=forged.value', 'unrelated=1']) {
      const response = await GET(tokenRequest(cookie));
      expect(response.status).toBe(401);
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(await response.json()).toEqual({ code: 'no_session', detail: expect.any(String) });
    }
  });

  it('stops issuing tokens once the user signs out', async () => {
    const user = await signedInUser(auth, 'leaving@example.com');
    expect((await GET(tokenRequest(user.cookie))).status).toBe(200);
    await auth.api.signOut({ headers: new Headers({ cookie: user.cookie }) });
    expect((await GET(tokenRequest(user.cookie))).status).toBe(401);
  });

  it('hands out a JWT, not the session token: the session cookie itself is refused by the API', async () => {
    const user = await signedInUser(auth, 'cookie@example.com');
    const sessionToken = decodeURIComponent(user.cookie.split('session_token=')[1]!.split(';')[0]!);
    const { verdict } = await evaluate({ authorization: `Bearer ${sessionToken}`, secret: TEST_CONFIG.secret });
    expect(verdict).toMatchObject({ status: 401, code: 'malformed_token' });
  });

  it('answers 500 without a secret instead of signing with an empty key', async () => {
    const user = await signedInUser(auth, 'nosecret@example.com');
    const response = await createTokenRoute({ auth, secret: '' })(tokenRequest(user.cookie));
    expect(response.status).toBe(500);
    expect(await response.json()).toMatchObject({ code: 'server_misconfigured' });
  });

  it('leaves iss and aud out when neither is configured, and uses the injected clock', async () => {
    vi.stubEnv('AUTH_ISSUER', '');
    vi.stubEnv('BETTER_AUTH_URL', '');
    vi.stubEnv('AUTH_AUDIENCE', '');
    const user = await signedInUser(auth, 'bare@example.com');
    const route = createTokenRoute({ auth, secret: TEST_CONFIG.secret, now: () => 1_767_225_600.9 });
    const { token, expiresAt } = (await (await route(tokenRequest(user.cookie))).json()) as { token: string; expiresAt: number };
    const { payload } = decodeJwt(token);
    expect(Object.keys(payload).sort()).toEqual(['email', 'exp', 'iat', 'role', 'sub']);
    expect(payload.iat).toBe(1_767_225_600);
    expect(expiresAt).toBe(1_767_225_600 + 900);
  });

  it('takes its lifetime from TOKEN_LIFETIME_SECONDS (short tokens for tests), and refuses a bad value', async () => {
    vi.stubEnv('TOKEN_LIFETIME_SECONDS', '65');
    const user = await signedInUser(auth, 'short@example.com');
    const route = createTokenRoute({ auth, secret: TEST_CONFIG.secret, now: () => 1_767_225_600 });
    const { token, expiresAt } = (await (await route(tokenRequest(user.cookie))).json()) as { token: string; expiresAt: number };
    expect(expiresAt).toBe(1_767_225_600 + 65);
    expect(decodeJwt(token).payload.exp).toBe(expiresAt);
    vi.stubEnv('TOKEN_LIFETIME_SECONDS', '15m');
    expect(() => createTokenRoute({ auth, secret: TEST_CONFIG.secret })).toThrow(/TOKEN_LIFETIME_SECONDS/);
  });
  afterEach(() => vi.unstubAllEnvs());
});

/** The environment the app's own instance (lib/auth.ts getAuth) reads, with an in-memory SQLite database. */
function stubAppEnvironment() {
    vi.stubEnv('BETTER_AUTH_SECRET', TEST_CONFIG.secret);
    vi.stubEnv('BETTER_AUTH_URL', TEST_CONFIG.baseURL);
    vi.stubEnv('AUTH_ISSUER', TEST_CONFIG.issuer);
    vi.stubEnv('AUTH_AUDIENCE', TEST_CONFIG.audience);
    vi.stubEnv('DATABASE_PATH', ':memory:');
}

describe("the module's GET, as Next.js calls it (the app instance on node:sqlite)", () => {
  it('reads its configuration from the environment and issues a token that verifies', async () => {
    stubAppEnvironment();
    try {
      const { getAuth } = await import('../lib/auth');
      const { GET } = await import('../app/api/token/route');
      // What `npx @better-auth/cli migrate` does, on the in-memory SQLite database.
      await (await getMigrations(getAuth().options)).runMigrations();
      const user = await signedInUser(getAuth(), 'sqlite@example.com');
      const response = await GET(tokenRequest(user.cookie));
      expect(response.status).toBe(200);
      const { token } = (await response.json()) as { token: string };
      expect(decodeJwt(token).payload).toMatchObject({ sub: user.id, iss: TEST_CONFIG.issuer, aud: TEST_CONFIG.audience });
      expect(await verdictFor(token)).toMatchObject({ status: 200 });
      expect((await GET(tokenRequest())).status).toBe(401);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('signs in through the mounted Better Auth handler, and the session cookie it sets buys a token', async () => {
    stubAppEnvironment();
    try {
      const { getAuth } = await import('../lib/auth');
      const auth = await import('../app/api/auth/[...all]/route');
      const { GET } = await import('../app/api/token/route');
      await (await getMigrations(getAuth().options)).runMigrations();
      const post = (path: string, body: unknown) =>
        auth.POST(
          new Request(`${TEST_CONFIG.baseURL}/api/auth/${path}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', origin: TEST_CONFIG.baseURL },
            body: JSON.stringify(body),
          }),
        );
      const signUp = await post('sign-up/email', { email: 'mounted@example.com', password: 'correct horse battery staple', name: 'Ada' });
      expect(signUp.status).toBe(200);
      const signIn = await post('sign-in/email', { email: 'mounted@example.com', password: 'correct horse battery staple' });
      expect(signIn.status).toBe(200);
      const cookie = signIn.headers.getSetCookie().map((line) => line.split(';')[0]).join('; ');
      expect(cookie).toContain('session_token=');
      const session = await auth.GET(new Request(`${TEST_CONFIG.baseURL}/api/auth/get-session`, { headers: { cookie } }));
      expect(((await session.json()) as { user: { email: string } }).user.email).toBe('mounted@example.com');
      const response = await GET(tokenRequest(cookie));
      expect(response.status).toBe(200);
      const { token } = (await response.json()) as { token: string };
      expect(await verdictFor(token)).toMatchObject({ status: 200 });
    } finally {
      vi.unstubAllEnvs();
    }
  });
});

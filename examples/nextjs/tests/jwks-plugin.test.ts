/**
 * The key-set way (lib/auth-jwks-plugin.ts, TOKEN_SOURCE=jwt-plugin-jwks): Better Auth 1.7's JWT plugin as it
 * ships, its EdDSA tokens judged by the verdict engine in the `jwks` profile with the key set the app publishes.
 */
import { betterAuth } from 'better-auth';
import { jwt } from 'better-auth/plugins';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluate } from '../../../src/contract/verifier/verify.ts';
import { authOptions } from '../lib/auth-options';
import { apiTokenPayload, createAuthWithJwksPlugin } from '../lib/auth-jwks-plugin';
import { tokenSource, tokenUrl } from '../lib/config';
import { PASSWORD, TEST_CONFIG, cookieFrom, decodeJwt, memoryDatabase, signedInUser } from './support';

type KeySet = { keys: Record<string, unknown>[] };

const setup = () => createAuthWithJwksPlugin({ database: memoryDatabase(), ...TEST_CONFIG });

/** The engine, configured like the FastAPI reference with AUTH_PROFILE=jwks (no secret at all). */
async function jwksVerdict(token: string, keys: KeySet | 'unavailable', extra: { pathUserId?: string; requiredRole?: string } = {}) {
  const { verdict } = await evaluate({
    profile: 'jwks',
    authorization: `Bearer ${token}`,
    keys,
    algorithm: 'EdDSA',
    now: Date.now() / 1000,
    issuer: TEST_CONFIG.issuer,
    audience: TEST_CONFIG.audience,
    ...extra,
  });
  return verdict;
}

describe('the JWT plugin as it ships (TOKEN_SOURCE=jwt-plugin-jwks)', () => {
  let auth: ReturnType<typeof setup>;
  beforeAll(() => {
    auth = setup();
  });

  const get = (path: string, cookie?: string) => auth.handler(new Request(`${TEST_CONFIG.baseURL}/api/auth${path}`, { headers: cookie ? { cookie } : {} }));

  it('GET /api/auth/token: {"token"}, an EdDSA token with a kid and the contract claims; GET /api/auth/jwks has its key', async () => {
    const user = await signedInUser(auth, 'ada@example.com');
    const response = await get('/token', user.cookie);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { token: string };
    expect(Object.keys(body)).toEqual(['token']);
    const { header, payload } = decodeJwt(body.token);
    expect(header).toEqual({ alg: 'EdDSA', kid: expect.any(String) });
    expect(Object.keys(payload).sort()).toEqual(['aud', 'email', 'exp', 'iat', 'iss', 'role', 'sub']);
    expect(payload).toMatchObject({ sub: user.id, email: 'ada@example.com', role: 'user', iss: TEST_CONFIG.issuer, aud: TEST_CONFIG.audience });
    expect(payload.exp).toBe((payload.iat as number) + 900);

    const jwks = await get('/jwks');
    expect(jwks.status).toBe(200);
    const keys = (await jwks.json()) as KeySet;
    expect(keys.keys).toEqual([{ alg: 'EdDSA', crv: 'Ed25519', kty: 'OKP', x: expect.any(String), kid: header.kid }]);

    expect(await jwksVerdict(body.token, keys)).toMatchObject({ status: 200, code: null });
    expect(await jwksVerdict(body.token, keys, { pathUserId: user.id })).toMatchObject({ status: 200 });
    expect(await jwksVerdict(body.token, keys, { pathUserId: 'someone-else' })).toMatchObject({ status: 403, code: 'user_mismatch' });
    expect(await jwksVerdict(body.token, keys, { requiredRole: 'admin' })).toMatchObject({ status: 403, code: 'insufficient_role' });
    expect(await jwksVerdict(body.token, { keys: [] })).toMatchObject({ status: 401, code: 'unknown_key' });
    expect(await jwksVerdict(body.token, 'unavailable')).toMatchObject({ status: 503, code: 'keys_unavailable' });
    // The hs256 profile refuses it: a public-key token is never checked as HMAC.
    const { verdict } = await evaluate({ authorization: `Bearer ${body.token}`, secret: TEST_CONFIG.secret, now: Date.now() / 1000 });
    expect(verdict).toMatchObject({ status: 401, code: 'unsupported_alg' });
  });

  it('the set-auth-jwt header of get-session carries the same kind of token; no session, no token', async () => {
    const user = await signedInUser(auth, 'header@example.com');
    const session = await get('/get-session', user.cookie);
    const headerToken = session.headers.get('set-auth-jwt');
    expect(headerToken).toBeTruthy();
    expect(session.headers.get('access-control-expose-headers')).toContain('set-auth-jwt');
    const keys = (await (await get('/jwks')).json()) as KeySet;
    expect(await jwksVerdict(headerToken!, keys)).toMatchObject({ status: 200 });
    expect((await get('/token')).status).toBe(401);
  });

  it('an admin gets role "admin" and passes the role check', async () => {
    await auth.api.createUser({ body: { email: 'root@example.com', password: PASSWORD, name: 'Root', role: 'admin' } });
    const signIn = await auth.api.signInEmail({ body: { email: 'root@example.com', password: PASSWORD }, returnHeaders: true });
    const { token } = await auth.api.getToken({ headers: new Headers({ cookie: cookieFrom(signIn.headers) }) });
    expect(decodeJwt(token).payload.role).toBe('admin');
    const keys = (await (await get('/jwks')).json()) as KeySet;
    expect(await jwksVerdict(token, keys, { requiredRole: 'admin' })).toMatchObject({ status: 200 });
  });

  it('a user without a role gets no role claim (role: null would be invalid_claim)', () => {
    expect(apiTokenPayload({ user: { email: 'a@example.com', role: null } })).toEqual({ email: 'a@example.com' });
    expect(apiTokenPayload({ user: { email: 'a@example.com', role: 'admin,user' } })).toEqual({ email: 'a@example.com', role: 'admin,user' });
  });

  it("the plugin's defaults (no definePayload, no issuer/audience): the whole user record, iss = aud = the app's URL", async () => {
    const plain = betterAuth({ ...authOptions({ database: memoryDatabase(), secret: TEST_CONFIG.secret, baseURL: TEST_CONFIG.baseURL }), plugins: [jwt()] });
    // The key table starts empty: the first /token (or /jwks) creates the key pair.
    const before = (await plain.handler(new Request(`${TEST_CONFIG.baseURL}/api/auth/jwks`)).then((r) => r.json())) as KeySet;
    expect(before.keys).toHaveLength(1);
    const user = await signedInUser(plain, 'plain@example.com');
    const { token } = await plain.api.getToken({ headers: new Headers({ cookie: user.cookie }) });
    const { header, payload } = decodeJwt(token);
    expect(header).toEqual({ alg: 'EdDSA', kid: before.keys[0]!.kid });
    expect(Object.keys(payload).sort()).toEqual(['aud', 'createdAt', 'email', 'emailVerified', 'exp', 'iat', 'id', 'iss', 'name', 'sub', 'updatedAt']);
    expect(payload).toMatchObject({ iss: TEST_CONFIG.baseURL, aud: TEST_CONFIG.baseURL, sub: user.id, id: user.id });
    expect(payload.exp).toBe((payload.iat as number) + 900);
    // `image` is left out when it is unset; with the admin plugin the record also brings role, banned,
    // banReason and banExpires (tests/jwks.e2e.ts prints a real one).
  });

  it('TOKEN_SOURCE=jwt-plugin-jwks: the browser gets its tokens from /api/auth/token', () => {
    const saved = process.env.TOKEN_SOURCE;
    try {
      process.env.TOKEN_SOURCE = 'jwt-plugin-jwks';
      expect(tokenSource()).toBe('jwt-plugin-jwks');
      expect(tokenUrl()).toBe('/api/auth/token');
      process.env.TOKEN_SOURCE = 'jwks';
      expect(() => tokenSource()).toThrow(/jwt-plugin-jwks/);
    } finally {
      if (saved === undefined) delete process.env.TOKEN_SOURCE;
      else process.env.TOKEN_SOURCE = saved;
    }
  });
});

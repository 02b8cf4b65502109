/**
 * The alternative issuer (lib/auth-jwt-plugin.ts): Better Auth 1.7's JWT plugin with its `jwt.sign`
 * override, checked against the verdict engine and against the token route's tokens.
 */
import { jwt } from 'better-auth/plugins';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIFETIME } from '../../../src/contract/data/contract.ts';
import { createTokenRoute } from '../lib/token-route';
import { createAuth } from '../lib/auth';
import { createAuthWithJwtPlugin } from '../lib/auth-jwt-plugin';
import { PASSWORD, TEST_CONFIG, cookieFrom, decodeJwt, memoryDatabase, signedInUser, verdictFor } from './support';

const setup = () =>
  createAuthWithJwtPlugin({
    database: memoryDatabase(),
    secret: TEST_CONFIG.secret,
    baseURL: TEST_CONFIG.baseURL,
    issuer: TEST_CONFIG.issuer,
    audience: TEST_CONFIG.audience,
  });

describe('JWT plugin with the jwt.sign override', () => {
  let auth: ReturnType<typeof setup>;
  beforeAll(() => {
    auth = setup();
  });

  it('GET /api/auth/token gives an HS256 token with exactly the contract claims, which the contract accepts', async () => {
    const user = await signedInUser(auth, 'ada@example.com');
    const { token } = await auth.api.getToken({ headers: new Headers({ cookie: user.cookie }) });
    const { header, payload } = decodeJwt(token);
    expect(header).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(Object.keys(payload).sort()).toEqual(['aud', 'email', 'exp', 'iat', 'iss', 'role', 'sub']);
    expect(payload).toMatchObject({ sub: user.id, email: 'ada@example.com', role: 'user', iss: TEST_CONFIG.issuer, aud: TEST_CONFIG.audience });
    expect(payload.exp).toBe((payload.iat as number) + DEFAULT_LIFETIME);
    expect(await verdictFor(token)).toMatchObject({ status: 200, code: null });
    expect(await verdictFor(token, { requiredRole: 'admin' })).toMatchObject({ status: 403, code: 'insufficient_role' });
  });

  it('also over HTTP, and in the set-auth-jwt header of get-session', async () => {
    const user = await signedInUser(auth, 'http@example.com');
    const tokenResponse = await auth.handler(new Request(`${TEST_CONFIG.baseURL}/api/auth/token`, { headers: { cookie: user.cookie } }));
    expect(tokenResponse.status).toBe(200);
    const { token } = (await tokenResponse.json()) as { token: string };
    expect(await verdictFor(token, { pathUserId: user.id })).toMatchObject({ status: 200 });

    const session = await auth.handler(new Request(`${TEST_CONFIG.baseURL}/api/auth/get-session`, { headers: { cookie: user.cookie } }));
    const headerToken = session.headers.get('set-auth-jwt');
    expect(headerToken).toBeTruthy();
    expect(decodeJwt(headerToken!).header.alg).toBe('HS256');
    expect(await verdictFor(headerToken!)).toMatchObject({ status: 200 });

    const anonymous = await auth.handler(new Request(`${TEST_CONFIG.baseURL}/api/auth/token`));
    expect(anonymous.status).toBe(401);
  });

  it('gives an admin the role claim "admin"', async () => {
    await auth.api.createUser({ body: { email: 'root@example.com', password: PASSWORD, name: 'Root', role: 'admin' } });
    const signIn = await auth.api.signInEmail({ body: { email: 'root@example.com', password: PASSWORD }, returnHeaders: true });
    const { token } = await auth.api.getToken({ headers: new Headers({ cookie: cookieFrom(signIn.headers) }) });
    expect(decodeJwt(token).payload.role).toBe('admin');
    expect(await verdictFor(token, { requiredRole: 'admin' })).toMatchObject({ status: 200 });
  });

  it('publishes no JWKS: an HS256 token has no public key', async () => {
    const response = await auth.handler(new Request(`${TEST_CONFIG.baseURL}/api/auth/jwks`));
    expect(response.status).toBe(404);
  });

  it('gives the same claims as the token route for the same user', async () => {
    const user = await signedInUser(auth, 'same@example.com');
    const fromPlugin = decodeJwt((await auth.api.getToken({ headers: new Headers({ cookie: user.cookie }) })).token).payload;
    const route = createTokenRoute({ auth, secret: TEST_CONFIG.secret, issuer: TEST_CONFIG.issuer, audience: TEST_CONFIG.audience });
    const { token } = (await (await route(new Request('http://localhost:3000/api/token', { headers: { cookie: user.cookie } }))).json()) as { token: string };
    const fromRoute = decodeJwt(token).payload;
    const stable = ({ iat: _iat, exp: _exp, ...rest }: Record<string, unknown>) => rest;
    expect(stable(fromPlugin)).toEqual(stable(fromRoute));
    expect((fromPlugin.exp as number) - (fromPlugin.iat as number)).toBe((fromRoute.exp as number) - (fromRoute.iat as number));
  });
});

describe('what the plugin requires before jwt.sign can be used (Better Auth 1.7)', () => {
  const sign = async () => 'unused';
  it('refuses jwt.sign without jwks.remoteUrl', () => {
    expect(() => jwt({ jwt: { sign } })).toThrow(/remoteUrl must be set/);
  });
  it('refuses jwks.remoteUrl without an asymmetric keyPairConfig.alg', () => {
    expect(() => jwt({ jwks: { remoteUrl: 'https://jwks.invalid/' }, jwt: { sign } })).toThrow(/keyPairConfig\.alg must be specified/);
  });
  it('cannot sign HS256 itself: its own tokens (EdDSA by default) are refused by the contract', async () => {
    const plain = createAuth({ database: memoryDatabase(), secret: TEST_CONFIG.secret, baseURL: TEST_CONFIG.baseURL });
    const withPlugin = (await import('better-auth')).betterAuth({ ...plain.options, plugins: [jwt()] });
    const user = await signedInUser(withPlugin, 'eddsa@example.com');
    const { token } = await withPlugin.api.getToken({ headers: new Headers({ cookie: user.cookie }) });
    expect(decodeJwt(token).header.alg).toBe('EdDSA');
    expect(await verdictFor(token)).toMatchObject({ status: 401, code: 'unsupported_alg' });
  });
});

/**
 * The key-set way end to end (contract profile `jwks`, TOKEN_SOURCE=jwt-plugin-jwks), real components only:
 * a Better Auth instance with the JWT plugin as it ships (lib/auth-jwks-plugin.ts), served over HTTP on
 * 127.0.0.1; tokens fetched from its real GET /api/auth/token; the FastAPI reference under uvicorn with
 * AUTH_PROFILE=jwks and AUTH_JWKS_URL=<that app>/api/auth/jwks and no BETTER_AUTH_SECRET; and the verdict engine
 * on the same token with the key set fetched from the same /api/auth/jwks, which must agree with FastAPI.
 * Then Better Auth's key rotation (jwks.rotationInterval, jwks.gracePeriod) against the API's key-set cache.
 *
 * This file starts its own servers (tests/live.ts); it needs the FastAPI virtualenv, not BACKEND_URL.
 *   npm run test:backend   (or: npx vitest run --config examples/nextjs/vitest.backend.config.ts examples/nextjs/tests/jwks.e2e.ts)
 */
import { betterAuth } from 'better-auth';
import { jwt } from 'better-auth/plugins';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE_AUDIENCE, TEST_SECRET } from '../../../src/contract/data/fixtures.ts';
import { evaluate } from '../../../src/contract/verifier/verify.ts';
import { ConfigurationError, createApiClient, tokenFromRoute } from '../lib/api-client';
import { authOptions } from '../lib/auth-options';
import { type JwksJwtOptions, createAuthWithJwksPlugin } from '../lib/auth-jwks-plugin';
import { type Served, type Uvicorn, freePort, serve, startUvicorn } from './live';
import { PASSWORD, cookieFrom, decodeJwt, memoryDatabase, signedInUser } from './support';

type KeySet = { keys: Record<string, unknown>[] };
const AUDIENCE = EXAMPLE_AUDIENCE;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const log = (what: string, value: unknown) => console.log(`[jwks.e2e] ${what}: ${typeof value === 'string' ? value : JSON.stringify(value, null, 2)}`);

/** A Better Auth app with the key-set plugin, on a real port; its URL is its baseURL and the tokens' issuer. */
async function startApp(options: JwksJwtOptions = {}) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const auth = createAuthWithJwksPlugin({ database: memoryDatabase(), secret: TEST_SECRET, baseURL: url, issuer: url, audience: AUDIENCE, ...options });
  const served = await serve((request) => auth.handler(request), port);
  return { auth, served, url, jwksUrl: `${url}/api/auth/jwks` };
}
type App = Awaited<ReturnType<typeof startApp>>;

/** The FastAPI reference in the jwks profile, pointed at the app's key set; no secret in its environment. */
const startApi = (app: App) =>
  startUvicorn({ AUTH_PROFILE: 'jwks', AUTH_JWKS_URL: app.jwksUrl, AUTH_ISSUER: app.url, AUTH_AUDIENCE: AUDIENCE, CORS_ORIGINS: app.url });

/** A token from the app's real GET /api/auth/token, as the browser gets it (session cookie, same origin). */
async function tokenOver(app: App, cookie: string): Promise<string> {
  const response = await fetch(`${app.url}/api/auth/token`, { headers: { cookie } });
  expect(response.status).toBe(200);
  const body = (await response.json()) as { token: string };
  expect(Object.keys(body)).toEqual(['token']);
  return body.token;
}

const keySetOf = async (app: App): Promise<KeySet> => (await (await fetch(app.jwksUrl)).json()) as KeySet;
const jwksFetches = (app: App) => app.served.log.filter((entry) => entry.path === '/api/auth/jwks').length;

interface Answer {
  status: number;
  code: string | null;
  challenge: string | null;
  body: Record<string, unknown>;
}

async function call(api: Uvicorn, path: string, token: string): Promise<Answer> {
  const response = await fetch(`${api.url}${path}`, { headers: { Authorization: `Bearer ${token}` } });
  const body = (await response.json()) as Record<string, unknown>;
  return { status: response.status, code: typeof body.code === 'string' ? body.code : null, challenge: response.headers.get('www-authenticate'), body };
}

/** The engine in the jwks profile, configured like the API, with the key set the API holds. */
async function engine(app: App, token: string, keys: KeySet | 'unavailable', extra: { pathUserId?: string; requiredRole?: string } = {}) {
  const { verdict } = await evaluate({ profile: 'jwks', authorization: `Bearer ${token}`, keys, algorithm: 'EdDSA', now: Date.now() / 1000, issuer: app.url, audience: AUDIENCE, ...extra });
  return verdict;
}

/** FastAPI's answer, checked against the engine's verdict on the same token with the same key set. */
async function judged(app: App, api: Uvicorn, path: string, token: string, keys: KeySet, extra: { pathUserId?: string; requiredRole?: string } = {}): Promise<Answer> {
  const answer = await call(api, path, token);
  const verdict = await engine(app, token, keys, extra);
  expect({ status: answer.status, code: answer.code, challenge: answer.challenge }, `FastAPI and the engine on ${path}`).toEqual({
    status: verdict.status,
    code: verdict.code,
    challenge: verdict.wwwAuthenticate,
  });
  return answer;
}

/** The same token with its signature broken (first signature character changed). */
function breakSignature(token: string): string {
  const [header, payload, signature] = token.split('.') as [string, string, string];
  return `${header}.${payload}.${signature[0] === 'A' ? 'B' : 'A'}${signature.slice(1)}`;
}

const stopping: (() => Promise<void>)[] = [];
afterAll(async () => {
  await Promise.all(stopping.map((stop) => stop()));
});
async function started<T extends { stop(): Promise<void> }>(thing: Promise<T>): Promise<T> {
  const value = await thing;
  stopping.push(() => value.stop());
  return value;
}

describe('Better Auth JWT plugin (jwks) -> /api/auth/token -> FastAPI with AUTH_PROFILE=jwks', () => {
  let app: App;
  let api: Uvicorn;
  let ada: { id: string; cookie: string };
  let adaToken: string;
  let keys: KeySet;

  beforeAll(async () => {
    app = await startApp();
    stopping.push(() => app.served.stop());
    api = await started(startApi(app));
    ada = await signedInUser(app.auth, 'ada@example.com');
    adaToken = await tokenOver(app, ada.cookie);
    keys = await keySetOf(app);
  });

  it("GET /api/me: 200 with the user's email; the engine agrees", async () => {
    const answer = await judged(app, api, '/api/me', adaToken, keys);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual(decodeJwt(adaToken).payload);
    expect(answer.body).toMatchObject({ sub: ada.id, email: 'ada@example.com', role: 'user', iss: app.url, aud: AUDIENCE });
    // FastAPI fetched the key set from the app itself.
    expect(jwksFetches(app)).toBeGreaterThanOrEqual(2);
    expect(api.output()).not.toMatch(/BETTER_AUTH_SECRET/);
  });

  it("the user's own tasks: 200; another user's: 403 user_mismatch", async () => {
    const own = await judged(app, api, `/api/users/${encodeURIComponent(ada.id)}/tasks`, adaToken, keys, { pathUserId: ada.id });
    expect(own.status).toBe(200);
    const grace = await signedInUser(app.auth, 'grace@example.com', 'Grace Hopper');
    const other = await judged(app, api, `/api/users/${encodeURIComponent(grace.id)}/tasks`, adaToken, keys, { pathUserId: grace.id });
    expect(other).toMatchObject({ status: 403, code: 'user_mismatch', challenge: 'Bearer realm="api", error="insufficient_scope"' });
  });

  it('the admin route: 403 insufficient_role for a user, 200 for an admin', async () => {
    const refused = await judged(app, api, '/api/admin/stats', adaToken, keys, { requiredRole: 'admin' });
    expect(refused).toMatchObject({ status: 403, code: 'insufficient_role' });
    await app.auth.api.createUser({ body: { email: 'root@example.com', password: PASSWORD, name: 'Root', role: 'admin' } });
    const signIn = await app.auth.api.signInEmail({ body: { email: 'root@example.com', password: PASSWORD }, returnHeaders: true });
    const rootToken = await tokenOver(app, cookieFrom(signIn.headers));
    expect(decodeJwt(rootToken).payload.role).toBe('admin');
    const allowed = await judged(app, api, '/api/admin/stats', rootToken, keys, { requiredRole: 'admin' });
    expect(allowed.status).toBe(200);
  });

  it('a broken signature: 401 bad_signature; an HS256 token made with the app secret: 401 unsupported_alg', async () => {
    const broken = await judged(app, api, '/api/me', breakSignature(adaToken), keys);
    expect(broken).toMatchObject({ status: 401, code: 'bad_signature', challenge: 'Bearer realm="api", error="invalid_token"' });
    // Algorithm confusion: the API has no secret, and HS256 is never the jwks way.
    const { payload } = decodeJwt(adaToken);
    const hs256 = await new SignJWT(payload).setProtectedHeader({ alg: 'HS256', kid: decodeJwt(adaToken).header.kid as string }).sign(new TextEncoder().encode(TEST_SECRET));
    expect(await judged(app, api, '/api/me', hs256, keys)).toMatchObject({ status: 401, code: 'unsupported_alg' });
  });

  it("records what the plugin puts in header and payload, by default and with this app's definePayload", async () => {
    const jwks = await fetch(app.jwksUrl);
    log('GET /api/auth/jwks', { status: jwks.status, 'content-type': jwks.headers.get('content-type'), 'cache-control': jwks.headers.get('cache-control'), body: await jwks.json() });
    log('this app (issuer, audience, 15m, definePayload {email, role})', decodeJwt(adaToken));

    // The plugin with no options at all, next to the same admin plugin: the whole user record, iss = aud = baseURL.
    const options = authOptions({ database: memoryDatabase(), secret: TEST_SECRET, baseURL: app.url });
    const plain = betterAuth({ ...options, plugins: [...options.plugins, jwt()] });
    const user = await signedInUser(plain, 'plain@example.com');
    const { token } = await plain.api.getToken({ headers: new Headers({ cookie: user.cookie }) });
    const decoded = decodeJwt(token);
    log('jwt() with no options (its defaults)', decoded);
    expect(decoded.header).toEqual({ alg: 'EdDSA', kid: expect.any(String) });
    // The user record as the database returns it (unset fields such as image, banReason, banExpires are left
    // out by the in-memory adapter; a SQL database gives them as null).
    expect(Object.keys(decoded.payload)).toEqual(expect.arrayContaining(['aud', 'banned', 'createdAt', 'email', 'emailVerified', 'exp', 'iat', 'id', 'iss', 'name', 'role', 'sub', 'updatedAt']));
    expect(decoded.payload).toMatchObject({ iss: app.url, aud: app.url });
    // Its aud is the app, not the API: a backend that checks its audience refuses it.
    const plainKeys = (await (await plain.handler(new Request(`${app.url}/api/auth/jwks`))).json()) as KeySet;
    expect(await engine(app, token, plainKeys)).toMatchObject({ status: 401, code: 'wrong_audience' });
  });
});

describe("Better Auth's key rotation (jwks.rotationInterval, jwks.gracePeriod) and the API's key-set cache", () => {
  let app: App;
  let api: Uvicorn;
  let user: { id: string; cookie: string };
  let oldToken: string;
  let newToken: string;
  let firstFetchAt: number;

  beforeAll(async () => {
    // A key signs for 3 s, then the next token gets a new one; a retired key stays published for 10 minutes.
    app = await startApp({ rotationInterval: 3, gracePeriod: 600 });
    stopping.push(() => app.served.stop());
    api = await started(startApi(app));
    user = await signedInUser(app.auth, 'rotate@example.com');
  });

  it('a token with the new kid is refused (unknown_key, and the client ends in a configuration error) while the API is in its 30 s cool-down; a fresh API accepts both kids', { timeout: 30_000 }, async () => {
    oldToken = await tokenOver(app, user.cookie);
    const heldByApi = await keySetOf(app);
    const before = jwksFetches(app);
    expect((await judged(app, api, '/api/me', oldToken, heldByApi)).status).toBe(200);
    expect(jwksFetches(app)).toBe(before + 1);
    firstFetchAt = app.served.log.filter((entry) => entry.path === '/api/auth/jwks').at(-1)!.at;

    await sleep(3_200);
    newToken = await tokenOver(app, user.cookie);
    const oldKid = decodeJwt(oldToken).header.kid;
    const newKid = decodeJwt(newToken).header.kid;
    expect(newKid).not.toBe(oldKid);
    const published = await keySetOf(app);
    expect(published.keys.map((key) => key.kid).sort()).toEqual([oldKid, newKid].sort());
    log('key set after one rotation', published.keys.map(({ kid, alg, crv }) => ({ kid, alg, crv })));

    // The API fetched less than 30 s ago: no refetch allowed, so the new kid is unknown to it.
    const fetches = jwksFetches(app);
    const refused = await judged(app, api, '/api/me', newToken, heldByApi);
    expect(refused).toMatchObject({ status: 401, code: 'unknown_key' });
    expect(jwksFetches(app)).toBe(fetches);
    // The browser client (contract v1.1) fetches a fresh token once and retries once: the fresh token has a new
    // kid too, so it ends in a configuration error although nothing is misconfigured; it lasts until the API may
    // refetch (at most 30 s).
    const client = createApiClient({
      baseUrl: api.url,
      getToken: tokenFromRoute(`${app.url}/api/auth/token`, (input, init) => fetch(input, { ...init, headers: { cookie: user.cookie } })),
    });
    const error = await client.request('/api/me').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error).toMatchObject({ status: 401, code: 'unknown_key' });
    expect(jwksFetches(app)).toBe(fetches);

    // A fresh API (a new uvicorn) fetches the current set: the new kid and the old one (within its grace period).
    const fresh = await started(startApi(app));
    expect((await judged(app, fresh, '/api/me', newToken, published)).status).toBe(200);
    expect((await judged(app, fresh, '/api/me', oldToken, published)).status).toBe(200);
  });

  it('a grace period shorter than the token lifetime drops keys whose tokens are still valid: unknown_key', { timeout: 30_000 }, async () => {
    // A key signs for 2 s and is published 1 s longer.
    const short = await startApp({ rotationInterval: 2, gracePeriod: 1 });
    stopping.push(() => short.served.stop());
    const shortApi = await started(startApi(short));
    const someone = await signedInUser(short.auth, 'short@example.com');
    const early = await tokenOver(short, someone.cookie);
    await sleep(3_200);
    const late = await tokenOver(short, someone.cookie);
    // The API's first fetch happens now, within the 3 s the new key is published.
    expect((await call(shortApi, '/api/me', late)).status).toBe(200);
    const published = await keySetOf(short);
    expect(published.keys.map((key) => key.kid)).toEqual([decodeJwt(late).header.kid]);
    // `early` expires in 15 minutes, but its key is no longer published.
    expect(await judged(short, shortApi, '/api/me', early, published)).toMatchObject({ status: 401, code: 'unknown_key' });
  });

  it('after the cool-down the same API refetches on the new kid and accepts it; the old kid still passes', { timeout: 60_000 }, async () => {
    const wait = firstFetchAt + 31_000 - Date.now();
    log('waiting out the API cool-down (ms)', String(Math.max(0, wait)));
    if (wait > 0) await sleep(wait);
    const published = await keySetOf(app);
    const fetches = jwksFetches(app);
    expect((await judged(app, api, '/api/me', newToken, published)).status).toBe(200);
    expect(jwksFetches(app)).toBe(fetches + 1);
    expect((await judged(app, api, '/api/me', oldToken, published)).status).toBe(200);
    expect(jwksFetches(app)).toBe(fetches + 1);
  });
});

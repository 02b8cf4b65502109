/**
 * The whole chain in a real browser: sign up with Better Auth in the Next.js app, get a token from the app,
 * call the FastAPI backend cross-origin with it, and the v1.1 frontend rules (refresh before expiry, one
 * refresh after invalid_token, a refused fresh token is a configuration error, never a sign-in loop).
 * The stack is started by playwright.config.ts (scripts/stack.mjs) on spare ports.
 */
import AxeBuilder from '@axe-core/playwright';
import { type CDPSession, type Page, type Request, expect, test } from '@playwright/test';
import { SignJWT, decodeJwt } from 'jose';
import { API_PORT, TOKEN_LIFETIME_SECONDS } from './playwright.config';

const API = `http://localhost:${API_PORT}`;
/** TOKEN_SOURCE=route: the app's GET /api/token; jwt-plugin: Better Auth's GET /api/auth/token ({"token"} only). */
const TOKEN_PATH = process.env.TOKEN_SOURCE === 'jwt-plugin' ? '/api/auth/token' : '/api/token';
const ADMIN = { email: 'admin@example.com', password: 'test-only-admin-password' };
const USER = { name: 'Ada Lovelace', email: `ada-${Date.now()}@example.com`, password: 'correct horse battery staple' };
/** Test configuration only: a secret the API does not know, for tokens it must refuse. */
const WRONG_SECRET = 'test-only-a-secret-the-api-does-not-know-0123456789';

test.describe.configure({ mode: 'serial' });

let page: Page;
let cdp: CDPSession;
/** What the browser sent: token fetches, API calls, and the CORS preflights (seen through DevTools). */
const seen = { tokens: [] as { at: number; expiresAt: number }[], api: [] as Request[], preflights: [] as string[] };

const answer = () => page.getByRole('region', { name: 'API answer' });

/** axe finds nothing on the page (WCAG 2.1 A and AA rules). */
async function expectNoAxeViolations() {
  const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).setLegacyMode(true).analyze();
  expect(violations.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`)).toEqual([]);
}
const button = (name: string) => page.getByRole('button', { name, exact: true });

async function reissueWithWrongSecret(token: string): Promise<string> {
  const { sub, email, iat, exp, iss, aud, role } = decodeJwt(token);
  return new SignJWT({ email, ...(role ? { role } : {}) })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(sub!)
    .setIssuedAt(iat!)
    .setExpirationTime(exp!)
    .setIssuer(iss!)
    .setAudience(aud as string)
    .sign(new TextEncoder().encode(WRONG_SECRET));
}

/** Serves the app's token route for real, with its token re-signed with a secret the API does not know. */
function wrongSecretTokens(times?: number) {
  return page.route(
    (url) => url.pathname === TOKEN_PATH,
    async (route) => {
      const response = await route.fetch();
      const body = (await response.json()) as { token: string };
      await route.fulfill({ response, json: { ...body, token: await reissueWithWrongSecret(body.token) } });
    },
    times ? { times } : undefined,
  );
}

/** Counts from now on. */
function resetCounts() {
  seen.tokens.length = 0;
  seen.api.length = 0;
  seen.preflights.length = 0;
}

test.beforeAll(async ({ browser }) => {
  page = await (await browser.newContext()).newPage();
  page.on('request', (request) => {
    if (request.url().startsWith(API)) seen.api.push(request);
  });
  page.on('response', async (response) => {
    if (new URL(response.url()).pathname !== TOKEN_PATH || response.status() !== 200) return;
    const at = Date.now();
    const body = (await response.json().catch(() => null)) as { token?: string } | null;
    if (body?.token) seen.tokens.push({ at, expiresAt: decodeJwt(body.token).exp! });
  });
  // Playwright's request events leave out CORS preflights; DevTools' network domain reports them.
  cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  cdp.on('Network.requestWillBeSent', (event) => {
    if (event.request.method === 'OPTIONS' && event.request.url.startsWith(API)) seen.preflights.push(event.request.url);
  });
});

test.afterAll(async () => {
  await page.context().close();
});

test('sign up through the labelled form, then /api/me answers 200 with the email (after a CORS preflight)', async () => {
  await page.goto('/');
  await expectNoAxeViolations();
  const form = page.getByRole('form', { name: 'Create an account' });
  await form.getByLabel('Name', { exact: true }).fill(USER.name);
  await form.getByLabel('Email', { exact: true }).fill(USER.email);
  await form.getByLabel('Password', { exact: true }).fill(USER.password);
  await form.getByRole('button', { name: 'Sign up' }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByText(`Signed in as ${USER.email}`)).toBeVisible();

  resetCounts();
  await button('Call /api/me').click();
  await expect(answer()).toContainText('HTTP 200');
  await expect(answer()).toContainText(`"email": "${USER.email}"`);
  // One Bearer header, to the API's other origin; the browser asked first (OPTIONS: Authorization is not a simple header).
  const call = seen.api.find((request) => request.method() === 'GET' && request.url() === `${API}/api/me`);
  expect(call, 'a GET to the API').toBeTruthy();
  expect(await call!.headerValue('authorization')).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
  expect(seen.preflights).toContain(`${API}/api/me`);
  await expectNoAxeViolations();
});

test("another user's tasks: 403 user_mismatch, and the page reads WWW-Authenticate across origins", async () => {
  resetCounts();
  await button("Another user's tasks").click();
  await expect(answer()).toContainText('HTTP 403');
  await expect(answer().getByTestId('code')).toHaveText('user_mismatch');
  // Only readable because the API sends Access-Control-Expose-Headers: WWW-Authenticate.
  await expect(answer().getByTestId('challenge')).toHaveText('insufficient_scope');
  // 403 is never retried.
  expect(seen.api.filter((request) => request.method() === 'GET')).toHaveLength(1);
});

test('admin stats as a user: 403 insufficient_role, no retry', async () => {
  resetCounts();
  await button('Admin stats').click();
  await expect(answer()).toContainText('HTTP 403');
  await expect(answer().getByTestId('code')).toHaveText('insufficient_role');
  expect(seen.api.filter((request) => request.method() === 'GET')).toHaveLength(1);
});

test(`with a ${TOKEN_LIFETIME_SECONDS} s token the client fetches a new one before exp (60 s margin)`, async () => {
  await page.reload();
  resetCounts();
  await button('Call /api/me').click();
  await expect(answer()).toContainText('HTTP 200');
  await expect.poll(() => seen.tokens.length).toBe(1);
  await button('Call /api/me').click();
  await expect.poll(() => seen.api.filter((request) => request.method() === 'GET').length).toBe(2);
  await expect(answer()).toContainText('HTTP 200');
  expect(seen.tokens, 'the second call reuses the cached token').toHaveLength(1);
  const first = seen.tokens[0]!;
  // The cached token is due for renewal 60 s before its exp: 10 s after it was issued.
  await page.waitForTimeout(Math.max(0, (first.expiresAt - 60) * 1000 - Date.now()) + 500);
  await button('Call /api/me').click();
  await expect.poll(() => seen.tokens.length).toBe(2);
  await expect(answer()).toContainText('HTTP 200');
  expect(seen.tokens[1]!.at).toBeLessThan(first.expiresAt * 1000);
  expect(seen.api.filter((request) => request.method() === 'GET')).toHaveLength(3);
});

test('a forced invalid_token: the client fetches a fresh token once, retries once, and gets 200', async () => {
  await page.reload();
  resetCounts();
  // The first token of this page is signed with a secret the API does not know; the next ones are real.
  await wrongSecretTokens(1);
  await button('Call /api/me').click();
  await expect(answer()).toContainText('HTTP 200');
  await expect.poll(() => seen.tokens.length).toBe(2);
  const calls = seen.api.filter((request) => request.method() === 'GET');
  expect(calls).toHaveLength(2);
  expect(await calls[0]!.headerValue('authorization')).not.toBe(await calls[1]!.headerValue('authorization'));
  await page.unrouteAll();
});

test('a refused fresh token is a configuration error: shown, reported, no sign-in loop', async () => {
  await page.reload();
  resetCounts();
  await wrongSecretTokens();
  await button('Call /api/me').click();
  await expect(page.getByRole('alert').filter({ hasText: 'Configuration error' })).toBeVisible();
  await expect(answer()).toContainText('HTTP 401');
  await expect(answer().getByTestId('code')).toHaveText('bad_signature');
  await expect(answer().getByTestId('challenge')).toHaveText('invalid_token');
  // Exactly one refresh and one retry, then nothing more: no loop, and still on the dashboard.
  await page.waitForTimeout(1_000);
  expect(seen.tokens).toHaveLength(2);
  expect(seen.api.filter((request) => request.method() === 'GET')).toHaveLength(2);
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.unrouteAll();
});

test('sign out leads back to sign-in; the seeded admin signs in with the keyboard and admin stats answers 200', async () => {
  await button('Sign out').click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole('button', { name: 'Sign in', exact: true })).toBeVisible();
  // Signed out, the dashboard sends the user back to sign in.
  await page.goto('/dashboard');
  await expect(page).toHaveURL(/\/$/);

  const form = page.getByRole('form', { name: 'Already have an account?' });
  await form.getByLabel('Email', { exact: true }).focus();
  await page.keyboard.type(ADMIN.email);
  await page.keyboard.press('Tab');
  await expect(form.getByLabel('Password', { exact: true })).toBeFocused();
  await page.keyboard.type(ADMIN.password);
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByText(`Signed in as ${ADMIN.email}`)).toBeVisible();

  await button('Admin stats').click();
  await expect(answer()).toContainText('HTTP 200');
  await expect(answer()).toContainText('"users"');

  await button('Sign out').click();
  await expect(page).toHaveURL(/\/$/);
});

/**
 * The key-set way in a real browser (project "chromium-jwks" of playwright.config.ts): the stack started with
 * TOKEN_SOURCE=jwt-plugin-jwks, so the app hands out Better Auth's own EdDSA tokens from GET /api/auth/token and
 * the FastAPI backend (AUTH_PROFILE=jwks, no secret) verifies them with the app's GET /api/auth/jwks.
 * Kept short: sign up, /api/me 200, another user's tasks 403, admin stats 403. stack.spec.ts covers the rest.
 */
import { type Page, type Request, expect, test } from '@playwright/test';
import { decodeJwt, decodeProtectedHeader } from 'jose';

const USER = { name: 'Key Set', email: `keyset-${Date.now()}@example.com`, password: 'correct horse battery staple' };

test.describe.configure({ mode: 'serial' });

let page: Page;
let api: string;
const seen = { tokens: [] as string[], api: [] as Request[] };
const answer = () => page.getByRole('region', { name: 'API answer' });
const button = (name: string) => page.getByRole('button', { name, exact: true });

test.beforeAll(async ({ browser }, testInfo) => {
  api = `http://localhost:${(testInfo.project.metadata as { apiPort: number }).apiPort}`;
  page = await (await browser.newContext({ baseURL: testInfo.project.use.baseURL })).newPage();
  page.on('request', (request) => {
    if (request.url().startsWith(api)) seen.api.push(request);
  });
  page.on('response', async (response) => {
    if (new URL(response.url()).pathname !== '/api/auth/token' || response.status() !== 200) return;
    const body = (await response.json().catch(() => null)) as { token?: string } | null;
    if (body?.token) seen.tokens.push(body.token);
  });
});

test.afterAll(async () => {
  await page.context().close();
});

test('sign up, then /api/me answers 200 to an EdDSA token from /api/auth/token whose kid the app publishes', async () => {
  await page.goto('/');
  const form = page.getByRole('form', { name: 'Create an account' });
  await form.getByLabel('Name', { exact: true }).fill(USER.name);
  await form.getByLabel('Email', { exact: true }).fill(USER.email);
  await form.getByLabel('Password', { exact: true }).fill(USER.password);
  await form.getByRole('button', { name: 'Sign up' }).click();
  await expect(page).toHaveURL(/\/dashboard$/);

  await button('Call /api/me').click();
  await expect(answer()).toContainText('HTTP 200');
  await expect(answer()).toContainText(`"email": "${USER.email}"`);

  expect(seen.tokens).toHaveLength(1);
  const token = seen.tokens[0]!;
  const header = decodeProtectedHeader(token);
  expect(header).toEqual({ alg: 'EdDSA', kid: expect.any(String) });
  expect(decodeJwt(token)).toMatchObject({ email: USER.email, role: 'user', aud: api });
  const call = seen.api.find((request) => request.method() === 'GET' && request.url() === `${api}/api/me`);
  expect(await call!.headerValue('authorization')).toBe(`Bearer ${token}`);
  const keys = (await (await page.request.get('/api/auth/jwks')).json()) as { keys: { kid: string; alg: string }[] };
  expect(keys.keys.map((key) => key.kid)).toContain(header.kid);
});

test("another user's tasks: 403 user_mismatch; admin stats: 403 insufficient_role", async () => {
  await button("Another user's tasks").click();
  await expect(answer()).toContainText('HTTP 403');
  await expect(answer().getByTestId('code')).toHaveText('user_mismatch');
  await expect(answer().getByTestId('challenge')).toHaveText('insufficient_scope');
  await button('Admin stats').click();
  await expect(answer().getByTestId('code')).toHaveText('insufficient_role');
  // One token served all three calls.
  expect(seen.tokens).toHaveLength(1);
});

// The playground's key-set profiles (jwks, both), driven like a reader would: real Chromium, the built site,
// WebCrypto in the page. Expected answers come from the engine's SCENARIOS; keys come from the TEST key set.
import { type Page, expect as baseExpect, test } from '@playwright/test';
import { encodeBase64urlText } from '../../src/contract/codec/base64url.ts';
import { contractClaims, signInputWithKey } from '../../src/contract/codec/sign.ts';
import { EXAMPLE_AUDIENCE, EXAMPLE_ISSUER } from '../../src/contract/data/fixtures.ts';
import { TEST_JWKS, TEST_KID, testSigningKey } from '../../src/contract/data/test-key-set.ts';
import { scenarioByName } from '../../src/contract/scenarios/index.ts';
import { PLAYGROUND_CASES } from '../../src/playground/presets.ts';
import { THEMES, axeViolations, useTheme } from './site';

const expect = baseExpect.configure({ timeout: 10_000 });

const pg = (page: Page) => page.locator('token-playground');
const UI = {
  input: (page: Page) => page.getByLabel('Token or request'),
  profile: (page: Page) => page.getByLabel('Key profile'),
  keySet: (page: Page) => page.getByLabel('Backend key set (JWKS)'),
  algorithm: (page: Page) => page.getByLabel('Key-set algorithm'),
  secret: (page: Page) => page.getByLabel('Backend secret'),
  unavailable: (page: Page) => page.getByRole('checkbox', { name: /cannot fetch it/ }),
  useTestKeySet: (page: Page) => page.getByRole('button', { name: 'Use the test key set' }),
  alg: (page: Page) => page.getByLabel('Header alg'),
  generate: (page: Page) => page.getByRole('button', { name: /^Generate a new .* test key pair$/ }),
  usePublicKeySet: (page: Page) => page.getByRole('button', { name: 'Use this key set in the backend' }),
  shareLink: (page: Page) => page.getByRole('link', { name: 'Open this state as a link' }),
};
const status = (page: Page) => page.getByTestId('verdict-status');
const code = (page: Page) => page.getByTestId('verdict-code');
const keyUsed = (page: Page) => page.getByTestId('verdict-key');

async function open(page: Page, hash = '') {
  await page.goto(`playground/${hash}`);
  await expect(pg(page)).toHaveAttribute('data-ready', '');
}

async function expectAnswer(page: Page, want: { status: number; code: string | null }) {
  await expect(status(page)).toHaveText(String(want.status));
  await expect(code(page)).toHaveText(want.code ?? '—');
}

/** A token as Better Auth's JWT plugin signs it: EdDSA, the kid of the key in its header, issued now. */
async function pluginToken(kid: string = TEST_KID.eddsa): Promise<string> {
  const claims = contractClaims({ now: Date.now() / 1000, issuer: EXAMPLE_ISSUER, audience: EXAMPLE_AUDIENCE });
  const input = `${encodeBase64urlText(JSON.stringify({ alg: 'EdDSA', kid }))}.${encodeBase64urlText(JSON.stringify(claims))}`;
  return signInputWithKey(input, testSigningKey(kid).key, 'EdDSA');
}

test('the profile switch shows the backend\'s keys for each profile, and the answer follows it', async ({ page }) => {
  await open(page);
  await expectAnswer(page, { status: 200, code: null });
  await expect(keyUsed(page)).toHaveText('BETTER_AUTH_SECRET (HMAC-SHA256)');
  await expect(UI.keySet(page)).toBeHidden();

  await UI.profile(page).selectOption('jwks');
  await expect(UI.secret(page)).toBeHidden();
  await expect(UI.keySet(page)).toBeVisible();
  await expect(UI.algorithm(page)).toHaveValue('EdDSA');
  // No key set yet: the backend is not configured.
  await expectAnswer(page, { status: 500, code: 'server_misconfigured' });
  await expect(page.getByTestId('key-set-status')).toContainText('no key set is configured');
  await expect(page.getByTestId('hints')).toContainText('The backend has no key set yet');

  // The sample HS256 token against a key set: refused at the alg check, never checked with a public key.
  await UI.useTestKeySet(page).click();
  await expect(page.getByTestId('key-set-status')).toContainText('usable for EdDSA: OKP Ed25519 key "test-eddsa-1"');
  await expectAnswer(page, { status: 401, code: 'unsupported_alg' });
  await expect(keyUsed(page)).toHaveText('Not reached: an earlier check failed');
  await expect(page.getByTestId('hints')).not.toContainText('The backend has no key set yet');

  // both: the HS256 token goes the secret's way again.
  await UI.profile(page).selectOption('both');
  await expect(UI.secret(page)).toBeVisible();
  await expectAnswer(page, { status: 200, code: null });
});

test('a pasted plugin token and the pasted /api/auth/jwks: 200 naming the key, then unknown_key and 503 with the reason', async ({ page }) => {
  await open(page);
  await UI.profile(page).selectOption('jwks');
  await UI.keySet(page).fill(JSON.stringify(TEST_JWKS));
  await UI.input(page).fill(await pluginToken());
  await expectAnswer(page, { status: 200, code: null });
  await expect(keyUsed(page)).toHaveText('The OKP Ed25519 key "test-eddsa-1" from the key set');
  await expect(page.getByTestId('segments')).toContainText('Checked with EdDSA and the OKP Ed25519 key "test-eddsa-1" from the key set: it matches.');

  await UI.input(page).fill(await pluginToken(TEST_KID.attacker));
  await expectAnswer(page, { status: 401, code: 'unknown_key' });
  await expect(keyUsed(page)).toHaveText('None fits: see the reason');
  await expect(page.getByTestId('verdict-reason')).toContainText(`has no key with kid "${TEST_KID.attacker}"`);

  await UI.unavailable(page).check();
  await expect(UI.keySet(page)).toBeDisabled();
  await expectAnswer(page, { status: 503, code: 'keys_unavailable' });
  await UI.unavailable(page).uncheck();
  // Half a response pasted: not JSON, which a backend could not use either.
  await UI.keySet(page).fill('{"keys": [{"kty": "OKP"');
  await expectAnswer(page, { status: 503, code: 'keys_unavailable' });
  await expect(page.getByTestId('key-set-status')).toContainText('✗ This is not JSON');
});

test('Build and sign: the test key, then a key pair generated in the page, whose public key set the backend takes', async ({ page }) => {
  await open(page);
  await UI.alg(page).selectOption('EdDSA');
  await expect(page.getByTestId('key-pair-status')).toContainText('built-in TEST key "test-eddsa-1"');
  await expect(page.getByTestId('public-key-set')).toContainText('"kid": "test-eddsa-1"');
  // The hs256 backend refuses the key-pair token and says how to verify it instead.
  await expectAnswer(page, { status: 401, code: 'unsupported_alg' });
  await expect(page.getByTestId('hints')).toContainText('choose the jwks (or both) key profile');

  await UI.usePublicKeySet(page).click();
  await expect(UI.profile(page)).toHaveValue('jwks');
  await expectAnswer(page, { status: 200, code: null });

  await UI.generate(page).click();
  await expect(page.getByTestId('builder-status')).toContainText('the key pair generated here (kid ');
  const status = await page.getByTestId('key-pair-status').textContent();
  const kid = /kid ([A-Za-z0-9_-]{43})\)/.exec(status ?? '')?.[1];
  expect(kid, status ?? '').toBeDefined();
  const publicSet = JSON.parse((await page.getByTestId('public-key-set').textContent()) ?? '');
  expect(publicSet.keys).toHaveLength(1);
  expect(Object.keys(publicSet.keys[0]).sort()).toEqual(['alg', 'crv', 'kid', 'kty', 'use', 'x']);
  // The backend still holds the test key only: the new kid is unknown until its key set is given.
  await expectAnswer(page, { status: 401, code: 'unknown_key' });
  await expect(page.getByTestId('hints')).toContainText('Use this key set in the backend');
  await UI.usePublicKeySet(page).click();
  await expectAnswer(page, { status: 200, code: null });
  await expect(keyUsed(page)).toHaveText(`The OKP Ed25519 key "${kid}" from the key set`);
});

test('key-set cases open from a link and from the list; a share link carries the key set, never a private key', async ({ page }) => {
  const scenario = scenarioByName('jwks-unknown-kid')!;
  await open(page, `#case=${scenario.name}`);
  await expectAnswer(page, scenario.expected);
  await expect(UI.profile(page)).toHaveValue('jwks');
  await expect(page.getByTestId('case')).toContainText(scenario.title);
  await expect(page.getByLabel(/conformance cases/).locator('option')).toHaveCount(PLAYGROUND_CASES.length);

  await page.getByLabel(/conformance cases/).selectOption('both-eddsa-valid');
  await page.getByRole('button', { name: 'Open case' }).click();
  await expectAnswer(page, scenarioByName('both-eddsa-valid')!.expected);
  await expect(UI.profile(page)).toHaveValue('both');

  // The builder generates a key pair: its private key must not travel in the link.
  await UI.alg(page).selectOption('EdDSA');
  await UI.generate(page).click();
  await expect(page.getByTestId('builder-status')).toContainText('the key pair generated here');
  await UI.usePublicKeySet(page).click();
  await expectAnswer(page, { status: 200, code: null });
  await expect(page.getByTestId('share-note')).toContainText('its private key never leaves this tab');
  const href = (await UI.shareLink(page).getAttribute('href')) ?? '';
  const params = new URLSearchParams(new URL(href, page.url()).hash.slice(1));
  expect(params.get('profile')).toBe('both');
  expect(JSON.parse(params.get('keys') ?? '').keys[0]).not.toHaveProperty('d');
  expect(href).not.toMatch(/%22d%22|"d"/);

  // Opened in another page, the link reproduces the answer: the token and its public key travelled.
  const other = await page.context().newPage();
  await open(other, new URL(href, page.url()).hash);
  await expectAnswer(other, { status: 200, code: null });
  await expect(UI.profile(other)).toHaveValue('both');
  await expect(other.getByTestId('key-pair-status')).toContainText('built-in TEST key');
});

test('a key-set session makes no request but the page\'s own scripts, and stores nothing', async ({ page, context }) => {
  await open(page);
  await page.waitForLoadState('networkidle');
  const requests: { url: string; type: string }[] = [];
  page.on('request', (request) => requests.push({ url: request.url(), type: request.resourceType() }));
  const token = await pluginToken();
  await UI.profile(page).selectOption('jwks');
  await UI.keySet(page).fill(JSON.stringify(TEST_JWKS));
  await UI.input(page).fill(token);
  await expectAnswer(page, { status: 200, code: null });
  await UI.alg(page).selectOption('ES256');
  await UI.generate(page).click();
  await expect(page.getByTestId('builder-status')).toContainText('the key pair generated here');
  // The parts of the island that only some readers need are scripts of the site, loaded when first used.
  for (const request of requests) {
    expect(request.type, request.url).toBe('script');
    expect(new URL(request.url).pathname).toMatch(/\/_astro\/[\w.-]+\.js$/);
  }
  const stored = await page.evaluate(() => JSON.stringify({ local: { ...localStorage }, session: { ...sessionStorage }, cookie: document.cookie }));
  expect(stored).not.toContain(token);
  expect(stored).not.toContain(TEST_KID.eddsa);
  expect(JSON.stringify(await context.cookies())).not.toContain(token);
});

test.describe('accessibility', () => {
  for (const theme of THEMES) {
    test(`axe finds no violations in the key-set profile with a generated key pair, ${theme} theme`, async ({ page }) => {
      test.setTimeout(120_000);
      await useTheme(page, theme);
      await open(page, '#case=jwks-valid');
      await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
      await UI.generate(page).click();
      await expect(page.getByTestId('builder-status')).toContainText('the key pair generated here');
      await expect(page.getByTestId('key-set-status')).toContainText('usable for EdDSA');
      expect(await axeViolations(page)).toEqual([]);
    });
  }

  test('the profile, key set and key pair controls work from the keyboard', async ({ page }) => {
    await open(page);
    await UI.profile(page).focus();
    await page.keyboard.press('ArrowDown'); // hs256 -> jwks
    await expect(UI.profile(page)).toHaveValue('jwks');
    await expect(UI.keySet(page)).toBeVisible();
    await page.keyboard.press('Tab');
    await expect(pg(page).getByRole('link', { name: 'Choose a profile' })).toBeFocused();
    await page.keyboard.press('Tab');
    await expect(UI.keySet(page)).toBeFocused();
    await page.keyboard.press('Tab');
    await expect(UI.unavailable(page)).toBeFocused();
    await page.keyboard.press('Space');
    await expectAnswer(page, { status: 401, code: 'unsupported_alg' });
    await page.keyboard.press('Tab');
    await expect(UI.useTestKeySet(page)).toBeFocused();
  });
});

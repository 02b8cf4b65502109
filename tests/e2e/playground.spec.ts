// The token playground, driven like a reader would: real Chromium, the built site, no mocks.
// Expected answers come from the engine's SCENARIOS and OUTCOMES, never retyped here.
import { type BrowserContext, type Page, expect as baseExpect, test } from '@playwright/test';
import { OUTCOMES, outcomeForCheck } from '../../src/contract/data/contract.ts';
import { SCENARIOS, scenarioByName } from '../../src/contract/scenarios/index.ts';
import { OTHER_TEST_SECRET, TEST_SECRET, VECTOR_NOW, EXAMPLE_AUDIENCE, EXAMPLE_ISSUER } from '../../src/contract/data/fixtures.ts';
import { contractClaims, signClaims } from '../../src/contract/codec/sign.ts';
import { THEMES, axeViolations, sitemapPaths, useTheme } from './site';

// A little more patience than the default 5 s: the machines that run this suite are often busy.
const expect = baseExpect.configure({ timeout: 10_000 });

const OWN_SECRET = 'own-backend-secret-3f9a1c7e5b2d4068a1c3e5f7';
const OWN_SIGNING = 'own-signing-secret-8e6c4a2b0d9f7153b5d7f9e1';

const pg = (page: Page) => page.locator('token-playground');
const ref = (page: Page, name: string) => pg(page).locator(`[data-ref="${name}"]`);
const status = (page: Page) => page.getByTestId('verdict-status');
const code = (page: Page) => page.getByTestId('verdict-code');
const check = (page: Page) => page.getByTestId('verdict-check');

async function open(page: Page, hash = '') {
  await page.goto(`playground/${hash}`);
  await expect(pg(page)).toHaveAttribute('data-ready', '');
}

/** What the page must show for a scenario: read from the engine's data. */
function expected(name: string) {
  const scenario = scenarioByName(name);
  if (!scenario) throw new Error(`no scenario ${name}`);
  return {
    status: String(scenario.expected.status),
    code: scenario.expected.code ?? '—',
    check: scenario.check === null ? '—' : outcomeForCheck(scenario.check).title,
  };
}

async function expectVerdict(page: Page, want: { status: string; code: string; check: string }) {
  await expect(status(page)).toHaveText(want.status);
  await expect(code(page)).toHaveText(want.code);
  await expect(check(page)).toHaveText(want.check);
}

async function allowClipboard(context: BrowserContext, baseURL: string | undefined) {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(baseURL!).origin });
}
const clipboard = (page: Page) => page.evaluate(() => navigator.clipboard.readText());

async function validToken(now = Date.now() / 1000, secret = TEST_SECRET) {
  return signClaims(contractClaims({ now, issuer: EXAMPLE_ISSUER, audience: EXAMPLE_AUDIENCE }), secret);
}

/** Pastes through the real clipboard and the paste shortcut, as a reader does. */
async function paste(page: Page, text: string) {
  await page.evaluate((value) => navigator.clipboard.writeText(value), text);
  const input = ref(page, 'input');
  await input.focus();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('ControlOrMeta+V');
  await expect(input).toHaveValue(text);
}

test.describe('presets', () => {
  const presets = SCENARIOS.filter((scenario) => scenario.preset);

  test('there is one button per preset scenario', async ({ page }) => {
    await open(page);
    await expect(pg(page).locator('[data-preset]')).toHaveCount(presets.length);
    expect(presets.length).toBe(16);
  });

  test('each preset shows its expected status, code and failing check', async ({ page }) => {
    await open(page);
    for (const preset of presets) {
      await pg(page).locator(`[data-preset="${preset.name}"]`).click();
      await expectVerdict(page, expected(preset.name));
      await expect(ref(page, 'case')).toContainText(preset.title);
    }
  });

  test('the list of all cases opens any scenario', async ({ page }) => {
    await open(page);
    await expect(ref(page, 'all-cases').locator('option')).toHaveCount(SCENARIOS.length);
    await ref(page, 'all-cases').selectOption('role-substring');
    await ref(page, 'open-case').click();
    await expectVerdict(page, expected('role-substring'));
  });
});

test.describe('paste and debug', () => {
  test.beforeEach(async ({ context, baseURL }) => allowClipboard(context, baseURL));

  test('pasting a token never changes its text, whatever else changes', async ({ page }) => {
    await open(page, '#case=expired');
    const token = await validToken();
    await paste(page, token);
    await expectVerdict(page, expected('valid'));
    // Pasting one's own token leaves the case's fixed moment for the live clock.
    await expect(ref(page, 'clock-live')).toBeChecked();
    await expect(ref(page, 'token')).toContainText(token.split('.')[1]!);

    await ref(page, 'secret').fill('a-different-backend-secret-of-sufficient-length');
    await ref(page, 'leeway').fill('0');
    await ref(page, 'issuer').fill('https://issuer.example');
    await ref(page, 'path-user').fill('user_999');
    await ref(page, 'role').fill('admin');
    await ref(page, 'clock-fixed').check();
    await ref(page, 'url').fill('https://api.example/me');
    await expect(code(page)).toHaveText('bad_signature');
    await expect(ref(page, 'input')).toHaveValue(token);
    const shown = (await ref(page, 'token').textContent())!.replace(/header|payload|signature/g, '');
    expect(shown).toBe(token);
  });

  test('on a laptop screen the pasted token and the answer fit in one screen', async ({ page }) => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await open(page, '#case=expired');
    await page.evaluate(() => window.scrollTo(0, 0));
    for (const locator of [ref(page, 'input'), status(page), code(page), check(page)]) {
      const box = (await locator.boundingBox())!;
      expect(box.y + box.height, 'inside the first screen').toBeLessThanOrEqual(800);
    }
  });

  test('changing the backend secret changes the verdict, not the token', async ({ page }) => {
    await open(page, '#case=valid');
    const token = await ref(page, 'input').inputValue();
    await expectVerdict(page, expected('valid'));
    await ref(page, 'secret').fill(OTHER_TEST_SECRET);
    await expectVerdict(page, expected('wrong-secret'));
    await expect(ref(page, 'input')).toHaveValue(token);
    await ref(page, 'use-test-secret').click();
    await expectVerdict(page, expected('valid'));
    await expect(ref(page, 'input')).toHaveValue(token);
  });

  test('reads a header line, a raw request, a curl command and the token route JSON alike', async ({ page }) => {
    await open(page);
    const token = await validToken();
    const forms = [
      [token, 'bare token'],
      [`Authorization: Bearer ${token}`, 'header line'],
      [`GET /api/me HTTP/1.1\nHost: localhost:8000\nAuthorization: Bearer ${token}\nAccept: */*`, 'header line'],
      [`curl -i \\\n  -H 'Authorization: Bearer ${token}' \\\n  http://localhost:8000/api/me`, 'curl command'],
      [JSON.stringify({ token }), 'JSON'],
    ] as const;
    for (const [text, readAs] of forms) {
      await ref(page, 'input').fill(text);
      await expect(ref(page, 'input')).toHaveValue(text);
      await expect(ref(page, 'read-as')).toContainText(readAs);
      await expectVerdict(page, expected('valid'));
    }
    await ref(page, 'input').fill(`Authorization: Bearer ${token}\nAuthorization: Bearer ${token}`);
    await expectVerdict(page, expected('two-authorization-headers'));
    await expect(ref(page, 'segments')).toContainText('first of 2 Authorization headers');
  });

  test('decodes what it can of a broken token and points at the broken part', async ({ page }) => {
    await open(page);
    const [header, payload, signature] = (await validToken()).split('.');
    const broken = `${header}.${payload!.slice(0, 20)}=${payload!.slice(20)}.${signature}`;
    await ref(page, 'input').fill(broken);
    await expectVerdict(page, { status: '401', code: 'malformed_token', check: outcomeForCheck('structure').title });
    await expect(ref(page, 'header')).toContainText('"alg": "HS256"');
    await expect(ref(page, 'payload-problem')).toContainText('padding "="');
    await expect(ref(page, 'token').locator('mark')).toHaveText('problem here: =');
    await expect(ref(page, 'segments').locator('[data-segment="payload"]')).toContainText(`character ${header!.length + 1 + 20 + 1} of the token`);
    await expect(ref(page, 'segments').locator('[data-segment="header"]')).toContainText('✓');
  });

  test('shows the engine\'s hints', async ({ page }) => {
    await open(page);
    await ref(page, 'input').fill('Xk9fQ2mT7vLp3RbN8wYc1HsJ4dGa6EuZ');
    await expect(ref(page, 'hints')).toContainText('Better Auth session token');
    await open(page, '#case=secret-with-trailing-newline');
    await expect(ref(page, 'hints')).toContainText('followed by a newline');
  });
});

test.describe('times, clock and builder', () => {
  test.use({ timezoneId: 'America/New_York' });

  test('every time claim reads as a date in the reader\'s zone and in UTC, relative to the chosen clock', async ({ page }) => {
    await open(page);
    await ref(page, 'clock-seconds').fill(String(VECTOR_NOW));
    await expect(ref(page, 'clock-fixed')).toBeChecked();
    await ref(page, 'issue-now').click();
    await expectVerdict(page, expected('valid'));
    const times = ref(page, 'times');
    await expect(times).toContainText('UTC: 2026-01-01T00:00:00Z');
    await expect(times).toContainText('UTC: 2026-01-01T00:15:00Z');
    await expect(times).toContainText('Your time: 2025-12-31 19:00:00 (UTC-05:00)');
    await expect(times).toContainText('Your time: 2025-12-31 19:15:00 (UTC-05:00)');
    await expect(times).toContainText('issued now');
    await expect(times).toContainText('expires in 15 min');
    const token = await ref(page, 'input').inputValue();

    await ref(page, 'clock-seconds').fill(String(VECTOR_NOW + 3 * 3600 + 900));
    await expect(times).toContainText('expired 3 h ago');
    await expectVerdict(page, expected('expired'));
    await expect(ref(page, 'input')).toHaveValue(token);

    await ref(page, 'clock-live').check();
    await expect(ref(page, 'clock-status')).toContainText('Live');
  });

  test('the builder signs with its own secret and puts the token in the request', async ({ page }) => {
    await open(page, '#case=valid');
    const before = await ref(page, 'input').inputValue();
    await pg(page).locator('[data-claim="exp"]').fill('1000');
    await expect(ref(page, 'input')).not.toHaveValue(before);
    await expectVerdict(page, expected('expired'));
    await expect(ref(page, 'claims-json')).toHaveValue(/"exp": 1000/);

    await ref(page, 'claims-json').fill('{"sub":"user_123","email":"ada@example.com","iat":1,"exp":99999999999}');
    await expect(pg(page).locator('[data-claim="exp"]')).toHaveValue('99999999999');
    await expectVerdict(page, expected('wrong-issuer'));

    await ref(page, 'issuer').fill('');
    await ref(page, 'audience').fill('');
    await expectVerdict(page, expected('valid'));
    await ref(page, 'signing').fill(OWN_SIGNING);
    await expectVerdict(page, expected('wrong-secret'));
    await expect(ref(page, 'hints')).toContainText('signed by the builder with its signing secret');
    await ref(page, 'secret').fill(OWN_SIGNING);
    await expectVerdict(page, expected('valid'));

    await ref(page, 'alg').selectOption('none');
    await expectVerdict(page, expected('alg-none'));
    await expect(ref(page, 'input')).toHaveValue(/\.$/);
  });
});

test.describe('the answer', () => {
  test.beforeEach(async ({ context, baseURL }) => allowClipboard(context, baseURL));

  test('copies the exact response and a ready-to-run curl command', async ({ page }) => {
    await open(page, '#case=expired');
    const token = await ref(page, 'input').inputValue();
    await expect(ref(page, 'action-label')).toHaveText('Refresh the token once, then sign in again');
    await ref(page, 'copy-response').click();
    await expect(ref(page, 'copy-response-status')).toHaveText('Copied.');
    const response = await clipboard(page);
    expect(response.split('\n')[0]).toBe('HTTP/1.1 401 Unauthorized');
    expect(response).toContain('WWW-Authenticate: Bearer realm="api", error="invalid_token"');
    expect(response).toContain('"code":"token_expired"');

    await ref(page, 'copy-curl').click();
    expect(await clipboard(page)).toBe(`curl -i \\\n  -H 'Authorization: Bearer ${token}' \\\n  'http://localhost:8000/api/me'`);
    await ref(page, 'path-user').fill('user_123');
    await expect(ref(page, 'url')).toHaveValue('http://localhost:8000/api/users/user_123/tasks');
    await expect(ref(page, 'curl')).toContainText('/api/users/user_123/tasks');
    await ref(page, 'url').fill('https://api.example/me');
    await ref(page, 'path-user').fill('');
    await expect(ref(page, 'curl')).toContainText('https://api.example/me');
  });

  test('lists every check in contract order and marks the failing one', async ({ page }) => {
    await open(page, '#case=wrong-audience');
    const items = ref(page, 'trace').locator('li');
    await expect(items).toHaveCount(OUTCOMES.length);
    const audience = OUTCOMES.findIndex((outcome) => outcome.check === 'audience');
    await expect(items.nth(audience)).toHaveAttribute('data-state', 'failed');
    await expect(items.nth(audience)).toContainText(`Failed: ${outcomeForCheck('audience').title}`);
    await expect(items.nth(audience - 1)).toContainText('✓');
    await expect(items.nth(audience + 1)).toContainText('Not reached');
  });
});

test.describe('share links', () => {
  test.beforeEach(async ({ context, baseURL }) => allowClipboard(context, baseURL));

  const controls = ['input', 'secret', 'leeway', 'issuer', 'audience', 'path-user', 'role', 'url', 'clock-seconds', 'signing', 'alg', 'claims-json'];
  const values = async (page: Page) => Object.fromEntries(await Promise.all(controls.map(async (name) => [name, await ref(page, name).inputValue()])));

  test('a share link restores the whole state', async ({ page, context }) => {
    await open(page, '#case=missing-role');
    await ref(page, 'clock-seconds').fill(String(VECTOR_NOW));
    await ref(page, 'leeway').fill('45');
    await ref(page, 'path-user').fill('user_123');
    await ref(page, 'url').fill('https://api.example/admin');
    await ref(page, 'alg').selectOption('HS384');
    await expectVerdict(page, expected('alg-hs512'));
    const state = await values(page);

    await ref(page, 'copy-share').click();
    const link = await clipboard(page);
    expect(new URL(link).pathname).toMatch(/\/playground\/$/);
    expect(await ref(page, 'share-link').getAttribute('href')).toBe(link);

    const other = await context.newPage();
    await other.goto(link);
    await expect(pg(other)).toHaveAttribute('data-ready', '');
    expect(await values(other)).toEqual(state);
    await expectVerdict(other, expected('alg-hs512'));
    await expect(ref(other, 'clock-fixed')).toBeChecked();
  });

  test('a secret that is not the test secret never goes into the URL', async ({ page, context }) => {
    await open(page);
    await ref(page, 'secret').fill(OWN_SECRET);
    await ref(page, 'signing').fill(OWN_SIGNING);
    await expect(ref(page, 'share-note')).toContainText('leaves your backend secret out');
    await ref(page, 'copy-share').click();
    const link = await clipboard(page);
    const href = (await ref(page, 'share-link').getAttribute('href'))!;
    for (const text of [link, href, page.url(), decodeURIComponent(link)]) {
      expect(text).not.toContain(OWN_SECRET);
      expect(text).not.toContain(OWN_SIGNING);
      expect(text).not.toContain(encodeURIComponent(OWN_SECRET));
    }
    const other = await context.newPage();
    await other.goto(link);
    await expect(pg(other)).toHaveAttribute('data-ready', '');
    await expect(ref(other, 'secret')).toHaveValue('');
    await expect(ref(other, 'secret-warning')).toContainText('did not carry the backend secret');
    await expectVerdict(other, expected('no-secret'));
    // Once the receiver types the secrets, the verdicts match the sender's.
    await ref(other, 'secret').fill(OWN_SECRET);
    await expectVerdict(other, expected('wrong-secret'));
    await ref(other, 'secret').fill(OWN_SIGNING);
    await expectVerdict(other, expected('valid'));
    expect(other.url()).not.toContain(OWN_SECRET);
  });

  test('the test secret travels in the link, by name', async ({ page }) => {
    await open(page, '#case=wrong-secret');
    await expect(ref(page, 'share-note')).toContainText('includes the backend secret, because it is a built-in test secret');
    const href = (await ref(page, 'share-link').getAttribute('href'))!;
    expect(href).toContain('secret=test');
    expect(href).not.toContain(TEST_SECRET);
    await page.goto(href);
    await page.reload();
    await expect(pg(page)).toHaveAttribute('data-ready', '');
    await expect(ref(page, 'secret')).toHaveValue(TEST_SECRET);
    await expectVerdict(page, expected('wrong-secret'));
  });
});

test.describe('#case= links', () => {
  const sample = [
    'valid',
    'no-secret',
    'empty-secret',
    'two-authorization-headers',
    'two-headers-one-empty',
    'duplicate-before-secret-problems',
    'no-authorization-header',
    'tab-after-bearer',
    'token-without-scheme',
    'long-garbage',
    'payload-invalid-utf8',
    'crit-header',
    'backend-secret-with-trailing-newline',
    'exp-at-leeway-boundary',
    'zero-leeway',
    'user-before-role',
    'audience-not-configured',
  ];
  for (const name of sample) {
    test(`#case=${name} opens with its expected answer`, async ({ page }) => {
      await open(page, `#case=${name}`);
      await expectVerdict(page, expected(name));
      await expect(ref(page, 'case')).toContainText(`(${name})`);
    });
  }

  test('a case link followed on the same page replaces the state', async ({ page }) => {
    await open(page, '#case=expired');
    await expectVerdict(page, expected('expired'));
    await page.evaluate(() => (location.hash = '#case=no-secret'));
    await expectVerdict(page, expected('no-secret'));
    await page.evaluate(() => (location.hash = '#without-javascript'));
    await expectVerdict(page, expected('no-secret'));
  });

  test('an unknown case says so and shows a valid token', async ({ page }) => {
    await open(page, '#case=no-such-case');
    await expect(ref(page, 'case')).toContainText('No case is named "no-such-case"');
    await expectVerdict(page, expected('valid'));
  });
});

test.describe('privacy', () => {
  test.beforeEach(async ({ context, baseURL }) => allowClipboard(context, baseURL));

  test('a whole session makes no network request and stores no secret', async ({ page, context }) => {
    await open(page);
    // Starlight loads its search UI once the page is idle: the site's request, not the playground's.
    // Recording starts after it, so the list below holds only what using the playground fetches.
    await expect(page.locator('#starlight__search input')).toBeAttached();
    await page.waitForLoadState('networkidle');
    const requests: string[] = [];
    page.on('request', (request) => requests.push(`${request.method()} ${request.url()}`));
    page.on('websocket', (socket) => requests.push(`websocket ${socket.url()}`));

    const token = await validToken();
    await paste(page, token);
    await ref(page, 'input').pressSequentially('x', { delay: 10 });
    await ref(page, 'secret').fill(OWN_SECRET);
    await ref(page, 'signing').fill(OWN_SIGNING);
    for (const name of ['expired', 'two-authorization-headers', 'no-authorization-header', 'missing-role']) {
      await pg(page).locator(`[data-preset="${name}"]`).click();
      await expectVerdict(page, expected(name));
    }
    await ref(page, 'all-cases').selectOption('no-secret');
    await ref(page, 'open-case').click();
    await ref(page, 'secret').fill(OWN_SECRET);
    await ref(page, 'signing').fill(OWN_SIGNING);
    await pg(page).locator('[data-claim="sub"]').fill('user_777');
    await ref(page, 'clock-seconds').fill(String(VECTOR_NOW));
    await ref(page, 'clock-live').check();
    await ref(page, 'copy-response').click();
    await ref(page, 'copy-curl').click();
    await ref(page, 'copy-share').click();
    await ref(page, 'load-claims').click();
    // Following a share link on the same page is a fragment navigation: the state changes, nothing is fetched.
    await ref(page, 'share-link').click();
    await expect(ref(page, 'secret-warning')).toContainText('did not carry the backend secret');
    await page.waitForTimeout(1500);
    // Chromium itself fetches the page icon (late after load, and again after any fragment navigation);
    // that request is the browser's, whatever the page does. Anything else fails the test.
    expect(requests.filter((request) => !request.endsWith('/favicon.svg'))).toEqual([]);

    const stored = await page.evaluate(() => JSON.stringify({ local: { ...localStorage }, session: { ...sessionStorage }, cookie: document.cookie }));
    const cookies = JSON.stringify(await context.cookies());
    for (const secret of [OWN_SECRET, OWN_SIGNING, TEST_SECRET, token]) {
      expect(stored).not.toContain(secret);
      expect(cookies).not.toContain(secret);
    }
  });
});

test.describe('accessibility', () => {
  for (const theme of THEMES) {
    test(`axe finds no violations with results shown, ${theme} theme`, async ({ page }) => {
      test.setTimeout(120_000); // axe needs several seconds per run on this page
      await useTheme(page, theme);
      for (const hash of ['#case=secret-with-trailing-newline', '#case=space-inside-token', '#case=valid']) {
        await open(page, hash);
        await expect(ref(page, 'case')).toContainText(`(${hash.slice('#case='.length)})`);
        await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
        await expect(ref(page, 'trace').locator('li')).toHaveCount(OUTCOMES.length);
        if (hash === '#case=valid') await ref(page, 'secret').fill('short');
        expect(await axeViolations(page), hash).toEqual([]);
      }
    });
  }

  test('keyboard only: reach a preset, run it, change the secret, copy the answer, and leave', async ({ page, context, baseURL }) => {
    await allowClipboard(context, baseURL);
    await open(page);
    const active = () => page.evaluate(() => {
      const element = document.activeElement as HTMLElement | null;
      return { preset: element?.dataset.preset ?? null, ref: element?.dataset.ref ?? null, inside: Boolean(element?.closest('token-playground')) };
    });
    const tabTo = async (match: (focus: Awaited<ReturnType<typeof active>>) => boolean, limit = 120) => {
      for (let i = 0; i < limit; i++) {
        await page.keyboard.press('Tab');
        if (match(await active())) return;
      }
      throw new Error('not reached with Tab');
    };

    await tabTo((focus) => focus.preset === 'expired');
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
    expect(outline).not.toBe('none');
    await page.keyboard.press('Enter');
    await expectVerdict(page, expected('expired'));

    await tabTo((focus) => focus.ref === 'secret');
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type('short-secret');
    await expectVerdict(page, { ...expected('wrong-secret') });
    await expect(ref(page, 'secret-warning')).toContainText('Only 12 bytes');
    await page.keyboard.press('Tab');
    expect((await active()).ref).toBe('use-test-secret');
    await page.keyboard.press('Space');
    await expectVerdict(page, expected('expired'));

    await tabTo((focus) => focus.ref === 'copy-response');
    await page.keyboard.press('Enter');
    await expect(ref(page, 'copy-response-status')).toHaveText('Copied.');

    // No trap: Tab eventually leaves the playground.
    await tabTo((focus) => !focus.inside, 200);
  });

  test('the verdict is announced once when it changes, not on every clock tick', async ({ page }) => {
    await open(page);
    await expect(ref(page, 'clock-live')).toBeChecked();
    await page.evaluate(() => {
      const announcer = document.querySelector('token-playground [data-ref="announcer"]')!;
      (window as unknown as { announcements: string[] }).announcements = [];
      new MutationObserver(() => (window as unknown as { announcements: string[] }).announcements.push(announcer.textContent ?? '')).observe(announcer, {
        childList: true,
        characterData: true,
        subtree: true,
      });
    });
    const announcements = () => page.evaluate(() => (window as unknown as { announcements: string[] }).announcements);
    await page.waitForTimeout(2500);
    expect(await announcements()).toEqual([]);
    await ref(page, 'secret').fill(OWN_SECRET);
    await expect.poll(announcements).toHaveLength(1);
    expect((await announcements())[0]).toContain('bad_signature');
    await ref(page, 'secret').pressSequentially('xyz');
    await page.waitForTimeout(1500);
    expect(await announcements()).toHaveLength(1);
    await expect(ref(page, 'announcer')).toHaveAttribute('aria-live', 'polite');
  });

  test('respects prefers-reduced-motion', async ({ page }) => {
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await open(page);
    const duration = () => ref(page, 'verdict').evaluate((element) => getComputedStyle(element).transitionDuration);
    expect((await duration()).split(',').every((value) => value.trim() === '0s')).toBe(true);
    await page.emulateMedia({ reducedMotion: 'no-preference' });
    expect((await duration()).split(',').some((value) => value.trim() !== '0s')).toBe(true);
  });
});

test.describe('small screens', () => {
  test.use({ viewport: { width: 360, height: 800 } });

  for (const hash of ['', '#case=long-garbage', '#case=space-inside-token', '#case=two-authorization-headers']) {
    test(`no horizontal overflow at 360 px (${hash || 'default'})`, async ({ page }) => {
      await open(page, hash);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
      const wide = await pg(page).evaluate((root) =>
        [...root.querySelectorAll('*')]
          .filter((element) => (element as HTMLElement).offsetParent !== null && element.getBoundingClientRect().right > window.innerWidth + 0.5)
          .map((element) => `${element.tagName}.${element.className}`),
      );
      expect(wide).toEqual([]);
    });
  }
});

test.describe('progressive enhancement', () => {
  test.use({ javaScriptEnabled: false });

  test('without JavaScript the page explains the playground and points to the CLI and the vectors', async ({ page }) => {
    await page.goto('playground/');
    const main = page.locator('main');
    await expect(main).toContainText('npm run verdict');
    await expect(main.locator('a[href$="vectors.json"]').first()).toBeVisible();
    await expect(ref(page, 'fallback')).toBeVisible();
    await expect(ref(page, 'fallback')).toContainText('needs JavaScript');
    await expect(ref(page, 'app')).toBeHidden();
  });
});

test('only pages that embed the playground load its script', async ({ request }) => {
  const loading: string[] = [];
  for (const path of sitemapPaths()) {
    const html = await (await request.get(path)).text();
    if (/Playground\.astro_astro_type_script/.test(html)) loading.push(path);
    expect(html.includes('<token-playground'), path).toBe(/Playground\.astro_astro_type_script/.test(html));
  }
  expect(loading).toContain('playground/');
});

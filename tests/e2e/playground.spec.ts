// The token playground, driven like a reader would: real Chromium, the built site, no mocks.
// Expected answers come from the engine's SCENARIOS and OUTCOMES, never retyped here. These tests run the
// shared-secret profile (hs256); playground-key-set.spec.ts runs the key-set profiles.
import { type BrowserContext, type Locator, type Page, expect as baseExpect, test } from '@playwright/test';
import { checksFor, outcomeForCheck } from '../../src/contract/data/contract.ts';
import { PLAYGROUND_CASES } from '../../src/playground/presets.ts';
import { scenarioByName } from '../../src/contract/scenarios/index.ts';
import { OTHER_TEST_SECRET, TEST_SECRET, VECTOR_NOW, EXAMPLE_AUDIENCE, EXAMPLE_ISSUER } from '../../src/contract/data/fixtures.ts';
import { contractClaims, signClaims } from '../../src/contract/codec/sign.ts';
import { THEMES, axeViolations, sitemapPaths, useTheme } from './site';

// A little more patience than the default 5 s: the machines that run this suite are often busy.
const expect = baseExpect.configure({ timeout: 10_000 });
const OUTCOMES = checksFor('hs256');

const OWN_SECRET = 'own-backend-secret-3f9a1c7e5b2d4068a1c3e5f7';
const OWN_SIGNING = 'own-signing-secret-8e6c4a2b0d9f7153b5d7f9e1';

const pg = (page: Page) => page.locator('token-playground');
/** The playground's parts, found as a reader finds them: by label, role or (for outputs) test id. */
const UI = {
  input: (page: Page) => page.getByLabel('Token or request'),
  secret: (page: Page) => page.getByLabel('Backend secret'),
  leeway: (page: Page) => page.getByLabel('Leeway (seconds)'),
  issuer: (page: Page) => page.getByLabel('Expected issuer'),
  audience: (page: Page) => page.getByLabel('Expected audience'),
  'path-user': (page: Page) => page.getByLabel('User id in the path'),
  role: (page: Page) => page.getByLabel('Role the route requires'),
  url: (page: Page) => page.getByLabel('Request URL for curl'),
  'clock-live': (page: Page) => page.getByRole('radio', { name: /^Live/ }),
  'clock-fixed': (page: Page) => page.getByRole('radio', { name: 'Fixed at a moment' }),
  'clock-seconds': (page: Page) => page.getByLabel('Seconds since the epoch'),
  'clock-date': (page: Page) => page.getByLabel('Date and time (UTC)'),
  signing: (page: Page) => page.getByLabel('Signing secret'),
  alg: (page: Page) => page.getByLabel('Header alg'),
  'claims-json': (page: Page) => page.getByLabel('Payload JSON'),
  answer: (page: Page) => page.getByLabel('Response your API sent'),
  'all-cases': (page: Page) => page.getByLabel(/conformance cases/),
  'open-case': (page: Page) => page.getByRole('button', { name: 'Open case' }),
  'use-test-secret': (page: Page) => page.getByRole('button', { name: 'Use the test secret' }),
  'issue-now': (page: Page) => page.getByRole('button', { name: /^Issue now/ }),
  'load-claims': (page: Page) => page.getByRole('button', { name: /^Load the request's claims/ }),
  'copy-response': (page: Page) => page.getByRole('button', { name: 'Copy response' }),
  'copy-curl': (page: Page) => page.getByRole('button', { name: 'Copy curl command' }),
  'copy-share': (page: Page) => page.getByRole('button', { name: 'Copy share link' }),
  'copy-diagnosis': (page: Page) => page.getByRole('button', { name: 'Copy diagnosis' }),
  'share-link': (page: Page) => page.getByRole('link', { name: 'Open this state as a link' }),
  header: (page: Page) => page.getByTestId('decoded-header'),
  payload: (page: Page) => page.getByTestId('decoded-payload'),
  fallback: (page: Page) => page.getByTestId('pg-fallback'),
  app: (page: Page) => page.getByTestId('pg-app'),
} satisfies Record<string, (page: Page) => Locator>;
/** A part by its name: a control or button above, else an output by its test id. */
const ref = (page: Page, name: string) => (name in UI ? UI[name as keyof typeof UI](page) : page.getByTestId(name));
const preset = (page: Page, name: string) => page.getByTestId(`preset-${name}`);
const claimField = (page: Page, name: string) => page.getByRole('textbox', { name: new RegExp(`^${name} `) });
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
  const presets = PLAYGROUND_CASES.filter((scenario) => scenario.preset);

  test('there is one button per preset scenario', async ({ page }) => {
    await open(page);
    await expect(pg(page).getByTestId(/^preset-/)).toHaveCount(presets.length);
    expect(presets.length).toBe(20);
  });

  test('each preset shows its expected status, code and failing check', async ({ page }) => {
    await open(page);
    for (const item of presets) {
      await preset(page, item.name).click();
      await expectVerdict(page, expected(item.name));
      await expect(ref(page, 'case')).toContainText(item.title);
    }
  });

  test('the list of all cases loads as its panel comes into view, and opens any scenario', async ({ page }) => {
    await open(page);
    await ref(page, 'all-cases').scrollIntoViewIfNeeded();
    await expect(ref(page, 'all-cases').locator('option')).toHaveCount(PLAYGROUND_CASES.length);
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
    await expect(ref(page, 'segments').getByRole('listitem').filter({ hasText: 'Payload (' })).toContainText(`character ${header!.length + 1 + 20 + 1} of the token`);
    await expect(ref(page, 'segments').getByRole('listitem').filter({ hasText: 'Header (' })).toContainText('✓');
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
    await expect(ref(page, 'clock-date')).toHaveValue('2026-01-01T03:15:00Z');

    // The date field reads ISO 8601 in UTC (an offset is honoured); what is not a date is marked and changes nothing.
    await ref(page, 'clock-date').fill('2026-01-01T01:10:00+01:00');
    await expect(ref(page, 'clock-seconds')).toHaveValue(String(VECTOR_NOW + 600));
    await expect(times).toContainText('expires in 5 min');
    await expectVerdict(page, expected('valid'));
    await ref(page, 'clock-date').fill('01/01/2026 10:00');
    await expect(ref(page, 'clock-date')).toHaveAttribute('aria-invalid', 'true');
    await expect(ref(page, 'clock-seconds')).toHaveValue(String(VECTOR_NOW + 600));

    await ref(page, 'clock-live').check();
    await expect(ref(page, 'clock-status')).toContainText('Live');
  });

  test('the builder signs with its own secret and puts the token in the request', async ({ page }) => {
    await open(page, '#case=valid');
    const before = await ref(page, 'input').inputValue();
    await claimField(page, 'exp').fill('1000');
    await expect(ref(page, 'input')).not.toHaveValue(before);
    await expectVerdict(page, expected('expired'));
    await expect(ref(page, 'claims-json')).toHaveValue(/"exp": 1000/);

    await ref(page, 'claims-json').fill('{"sub":"user_123","email":"ada@example.com","iat":1,"exp":99999999999}');
    await expect(claimField(page, 'exp')).toHaveValue('99999999999');
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
    // Contract v1.1: after a refused refresh the frontend reports, it does not send the user to sign in.
    await expect(ref(page, 'action-label')).toHaveText('Refresh once; if refused again, report');
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
    // Not a confident 500: the page says what the sender saw and asks for the secret (the link never carries it).
    await expect(ref(other, 'verdict-outcome')).toHaveText('Secret needed to reproduce: the sender saw 401 bad_signature.');
    await expectVerdict(other, { status: '—', code: '—', check: '—' });
    await expect(ref(other, 'secret-warning')).toContainText('The sender saw 401 bad_signature');
    await expect(ref(other, 'announcer')).toContainText('Secret needed to reproduce');
    // The field it asks for has the focus, on screen beside the answer.
    await expect(ref(other, 'secret')).toBeFocused();
    await expect(ref(other, 'secret')).toBeInViewport();
    // The help above the now-empty field does not claim it is pre-filled.
    await expect(other.getByTestId('secret-help')).not.toContainText('Pre-filled');
    await expect(other.getByTestId('verdict-status')).toBeHidden();
    expect(link).toContain('seen=401+bad_signature');
    // Passed on before the secret is typed, the link still asks for it (not "the backend has no secret").
    await expect(ref(other, 'share-note')).toContainText('still leaves the backend secret out');
    const passedOn = await context.newPage();
    await passedOn.goto((await ref(other, 'share-link').getAttribute('href'))!);
    await expect(pg(passedOn)).toHaveAttribute('data-ready', '');
    await expect(ref(passedOn, 'verdict-outcome')).toHaveText('Secret needed to reproduce: the sender saw 401 bad_signature.');
    await passedOn.close();
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

test.describe('the workbench', () => {
  test.beforeEach(async ({ context, baseURL }) => allowClipboard(context, baseURL));

  test('at 1280×800 the answer stays in sight while any backend setting is edited', async ({ page }) => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await open(page, '#case=valid');
    const heading = page.getByRole('heading', { name: "The backend's answer" });
    const inView = async () => {
      const box = (await heading.boundingBox())!;
      expect(box.y, 'below the top of the screen').toBeGreaterThanOrEqual(0);
      expect(box.y + box.height, 'above the bottom of the screen').toBeLessThanOrEqual(800);
    };
    // The page uses the full content width: the answer is a column beside the request.
    const input = (await ref(page, 'input').boundingBox())!;
    const answer = (await ref(page, 'verdict').boundingBox())!;
    expect(answer.x).toBeGreaterThan(input.x + input.width - 1);

    await ref(page, 'secret').focus();
    await ref(page, 'secret').fill(OWN_SECRET);
    await expect(code(page)).toHaveText('bad_signature');
    await inView();
    await ref(page, 'use-test-secret').click();
    await ref(page, 'path-user').focus();
    await ref(page, 'path-user').fill('user_999');
    await expectVerdict(page, expected('other-users-resource'));
    await inView();
    await ref(page, 'path-user').fill('');
    await ref(page, 'role').focus();
    await ref(page, 'role').fill('admin');
    await expectVerdict(page, expected('missing-role'));
    await inView();
    await expect(page.locator('.right-sidebar')).toHaveCount(0); // no table of contents on this page
  });

  test('at 1920×1080 the request, its answer and the backend secret share the first screen', async ({ page }) => {
    await page.setViewportSize({ width: 1920, height: 1080 });
    await open(page, '#case=expired');
    for (const locator of [ref(page, 'input'), status(page), code(page), check(page), ref(page, 'secret'), ref(page, 'verdict-reason')]) {
      const box = (await locator.boundingBox())!;
      expect(box.y + box.height, 'inside the first screen').toBeLessThanOrEqual(1080);
    }
  });

  test('on a phone a one-line verdict stays in sight while scrolling', async ({ page }) => {
    await page.setViewportSize({ width: 360, height: 740 });
    await open(page, '#case=expired');
    await ref(page, 'role').scrollIntoViewIfNeeded();
    const bar = page.getByTestId('verdict-bar');
    await expect(bar).toContainText('401 token_expired');
    const box = (await bar.boundingBox())!;
    expect(box.y).toBeGreaterThanOrEqual(0);
    expect(box.y + box.height).toBeLessThanOrEqual(740);
    await ref(page, 'role').fill('admin');
    await expect(bar).toContainText('401 token_expired');
    // The whole line shows, the failing check included: it wraps instead of being cut off.
    await expect(bar).toContainText((await page.getByTestId('verdict-check').textContent())!.trim());
    expect(await bar.evaluate((element) => element.scrollWidth <= element.clientWidth)).toBe(true);
  });

  test('every code and check links to its docs entry', async ({ page }) => {
    await open(page, '#case=expired');
    await expect(page.getByRole('link', { name: /^token_expired: its entry in the errors reference/ })).toHaveAttribute('href', /\/reference\/errors\/#/);
    await expect(page.getByRole('link', { name: /the list of checks in the backend reference/ })).toHaveAttribute('href', /\/reference\/backend\/#/);
  });

  test('Copy diagnosis copies the verdict, the failing check, the hints and the claims, never the secret', async ({ page }) => {
    await open(page, '#case=expired');
    await ref(page, 'secret').fill(`${OWN_SECRET}`);
    await ref(page, 'secret').fill(TEST_SECRET);
    await ref(page, 'copy-diagnosis').click();
    await expect(ref(page, 'copy-diagnosis-status')).toHaveText('Copied.');
    const text = await clipboard(page);
    expect(text).toContain('**Verdict:** 401 Unauthorized `token_expired`');
    expect(text).toContain(`**Failing check:** ${outcomeForCheck('expiry').title}`);
    expect(text).toContain('"sub": "user_123"');
    expect(text).toContain('`exp`');
    expect(text).not.toContain(TEST_SECRET);
    expect(text).not.toContain(OWN_SECRET);
  });
});

test.describe('reading the input by its shape', () => {
  test.beforeEach(async ({ context, baseURL }) => allowClipboard(context, baseURL));

  test('a request without an Authorization header is missing_token, and a cookie gets a note', async ({ page }) => {
    await open(page);
    await ref(page, 'input').fill('GET /api/me HTTP/1.1\nHost: localhost:8000\nCookie: better-auth.session_token=abc.def%3D');
    await expectVerdict(page, expected('no-authorization-header'));
    await expect(ref(page, 'read-as')).toContainText('no Authorization header');
    await expect(ref(page, 'hints')).toContainText('the API reads only the Authorization header');
    await ref(page, 'input').fill('Cookie: better-auth.session_token=abc.def%3D');
    await expectVerdict(page, expected('no-authorization-header'));
    await expect(ref(page, 'hints')).toContainText('the API reads only the Authorization header');
  });

  test('pasting into the pre-filled sample replaces it', async ({ page }) => {
    await open(page);
    const token = await validToken(Date.now() / 1000);
    await page.evaluate((value) => navigator.clipboard.writeText(value), `Authorization: Bearer ${token}`);
    await ref(page, 'input').click(); // a caret somewhere in the sample, nothing selected
    await page.keyboard.press('End');
    await page.keyboard.press('ControlOrMeta+V');
    await expect(ref(page, 'input')).toHaveValue(`Authorization: Bearer ${token}`);
    await expectVerdict(page, expected('valid'));
  });

  test('line breaks and quotes inside a token are named, with a one-click fix', async ({ page }) => {
    await open(page);
    const token = await validToken();
    await ref(page, 'input').fill(`${token.slice(0, 40)}\n${token.slice(40)}`);
    await expect(code(page)).toHaveText('malformed_token');
    await expect(ref(page, 'hints')).toContainText('1 line break');
    await page.getByRole('button', { name: 'Remove the line breaks' }).click();
    await expect(ref(page, 'input')).toHaveValue(token);
    await expectVerdict(page, expected('valid'));
    await ref(page, 'input').fill(`"${token}"`);
    await page.getByRole('button', { name: 'Remove the quotes' }).click();
    await expect(ref(page, 'input')).toHaveValue(token);
    await expectVerdict(page, expected('valid'));
  });

  test('two segments are not a JWT, and no base64 detail says otherwise', async ({ page }) => {
    await open(page);
    await ref(page, 'input').fill('abc123.def456');
    await expect(code(page)).toHaveText('malformed_token');
    await expect(ref(page, 'hints')).toContainText('Two segments');
    await expect(pg(page)).not.toContainText('stray bits');
  });

  test('a 1 MB paste keeps the page small and the answer quick', async ({ page }) => {
    await open(page);
    const token = await validToken();
    const huge = `${token.split('.')[0]}.${'A'.repeat(1_000_000)}.${token.split('.')[2]}`;
    await ref(page, 'input').fill(huge);
    await expect(code(page)).toHaveText('malformed_token', { timeout: 5_000 });
    await expect(ref(page, 'hints')).toContainText('KB');
    await expect(ref(page, 'hints')).toContainText('8 KB');
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    expect(height).toBeLessThan(20_000);
    expect((await ref(page, 'curl').textContent())!.length).toBeLessThan(5_000);
  });
});

test.describe('your backend\'s answer', () => {
  test('compares the pasted response field by field', async ({ page }) => {
    await open(page, '#case=no-authorization-header');
    await ref(page, 'answer').fill('HTTP/1.1 403 Forbidden\ncontent-type: application/json\n\n{"detail":"Not authenticated"}');
    const comparison = ref(page, 'comparison');
    await expect(comparison).toContainText('differences from the contract');
    await expect(comparison).toContainText('status: expected 401, got 403');
    await expect(comparison).toContainText('www-authenticate: expected Bearer realm="api"');
    await expect(comparison).toContainText("has no code");
    await ref(page, 'answer').fill('HTTP/1.1 401 Unauthorized\nwww-authenticate: Bearer realm="api"\ncontent-type: application/json\n\n{"detail":"Missing bearer token.","code":"missing_token"}');
    await expect(comparison).toContainText('Matches the contract');
    // curl -iL after FastAPI's trailing-slash redirect prints both responses: the last one is compared.
    await ref(page, 'answer').fill(
      'HTTP/1.1 307 Temporary Redirect\r\nlocation: http://127.0.0.1:8000/api/me\r\n\r\nHTTP/1.1 401 Unauthorized\r\nwww-authenticate: Bearer realm="api"\r\ncontent-type: application/json\r\n\r\n{"detail":"Missing bearer token.","code":"missing_token"}',
    );
    await expect(comparison).toContainText('Matches the contract');
    // A proxy's HTML page where the contract's JSON error belongs.
    await ref(page, 'answer').fill('<html><body>502 Bad Gateway</body></html>');
    await expect(comparison).toContainText('body: expected {"detail": "…", "code": "…"}, got <html>');
  });
});

test.describe('links opened in the same tab', () => {
  test('following a link keeps what was typed: Back brings it back', async ({ page }) => {
    await open(page);
    await ref(page, 'input').fill('typed.by.hand');
    await ref(page, 'issuer').fill('https://typed.example');
    await expect(code(page)).toHaveText('malformed_token');
    await page.evaluate(() => (location.hash = '#case=expired'));
    await expectVerdict(page, expected('expired'));
    await page.goBack();
    await expect(ref(page, 'input')).toHaveValue('typed.by.hand');
    await expect(ref(page, 'issuer')).toHaveValue('https://typed.example');
    await expect(code(page)).toHaveText('malformed_token');
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

  test('a whole session makes no request but the page\'s own scripts, and stores no secret', async ({ page, context }) => {
    await open(page);
    // Starlight loads its search UI once the page is idle: the site's request, not the playground's.
    // Recording starts after it, so the list below holds only what using the playground fetches.
    await expect(page.locator('#starlight__search input')).toBeAttached();
    await page.waitForLoadState('networkidle');
    const requests: { method: string; url: string; type: string }[] = [];
    page.on('request', (request) => requests.push({ method: request.method(), url: request.url(), type: request.resourceType() }));
    page.on('websocket', (socket) => requests.push({ method: 'websocket', url: socket.url(), type: 'websocket' }));

    const token = await validToken();
    await paste(page, token);
    await ref(page, 'input').pressSequentially('x', { delay: 10 });
    await ref(page, 'secret').fill(OWN_SECRET);
    await ref(page, 'signing').fill(OWN_SIGNING);
    for (const name of ['expired', 'two-authorization-headers', 'no-authorization-header', 'missing-role']) {
      await preset(page, name).click();
      await expectVerdict(page, expected(name));
    }
    await ref(page, 'all-cases').selectOption('no-secret');
    await ref(page, 'open-case').click();
    await ref(page, 'secret').fill(OWN_SECRET);
    await ref(page, 'signing').fill(OWN_SIGNING);
    await claimField(page, 'sub').fill('user_777');
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
    // that request is the browser's, whatever the page does. The only other requests allowed are the island's
    // own script chunks (the case list loads as its panel comes into view), fetched by a plain GET that
    // carries nothing the reader typed. Anything else fails the test.
    const others = requests.filter((request) => !request.url.endsWith('/favicon.svg'));
    for (const request of others) {
      expect(`${request.method} ${request.type}`, request.url).toBe('GET script');
      expect(new URL(request.url).pathname, request.url).toMatch(/^\/(?:[\w.-]+\/)*_astro\/[\w.-]+\.js$/);
      expect(new URL(request.url).search, request.url).toBe('');
    }
    expect(others.map((request) => new URL(request.url).pathname).join(' ')).toMatch(/presets\.[\w-]+\.js/);

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
    // What has the focus, named as a reader would: a preset by its test id, a control by its label, a button by its text.
    const active = () => page.evaluate(() => {
      const element = document.activeElement as HTMLElement | null;
      const label = (element as HTMLInputElement | null)?.labels?.[0]?.textContent?.trim() ?? null;
      return {
        testid: element?.dataset.testid ?? null,
        label,
        button: element?.tagName === 'BUTTON' ? (element.textContent?.trim() ?? null) : null,
        inside: Boolean(element?.closest('token-playground')),
      };
    });
    const press = async (key: string, match: (focus: Awaited<ReturnType<typeof active>>) => boolean, limit: number) => {
      for (let i = 0; i < limit; i++) {
        await page.keyboard.press(key);
        if (match(await active())) return;
      }
      throw new Error(`not reached with ${key}`);
    };
    const tabTo = (match: (focus: Awaited<ReturnType<typeof active>>) => boolean, limit = 120) => press('Tab', match, limit);
    // The backend settings sit beside the answer, before the cases: from a preset, go back up to them.
    const tabBackTo = (match: (focus: Awaited<ReturnType<typeof active>>) => boolean, limit = 120) => press('Shift+Tab', match, limit);

    await tabTo((focus) => focus.testid === 'preset-expired');
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
    expect(outline).not.toBe('none');
    await page.keyboard.press('Enter');
    await expectVerdict(page, expected('expired'));

    await tabBackTo((focus) => focus.label?.startsWith('Backend secret') ?? false);
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type('short-secret');
    await expectVerdict(page, { ...expected('wrong-secret') });
    await expect(ref(page, 'secret-warning')).toContainText('Only 12 bytes');
    await page.keyboard.press('Tab');
    expect((await active()).button).toBe('Use the test secret');
    await page.keyboard.press('Space');
    await expectVerdict(page, expected('expired'));

    await tabTo((focus) => focus.button === 'Copy response');
    await page.keyboard.press('Enter');
    await expect(ref(page, 'copy-response-status')).toHaveText('Copied.');

    // No trap: Tab eventually leaves the playground.
    await tabTo((focus) => !focus.inside, 200);
  });

  test('the verdict is announced once when it changes, not on every clock tick', async ({ page }) => {
    await open(page);
    await expect(ref(page, 'clock-live')).toBeChecked();
    await page.evaluate(() => {
      const announcer = document.querySelector('[data-testid="announcer"]')!;
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

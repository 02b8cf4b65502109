import { expect, test } from '@playwright/test';
import { watchCspViolations as watchViolations } from './site';

test('every page sends a strict policy as a header and as a meta tag', async ({ page }) => {
  const response = await page.goto('');
  const header = response!.headers()['content-security-policy'];
  expect(header).toContain("frame-ancestors 'none'");
  expect(header).toMatch(/script-src 'self' 'wasm-unsafe-eval'( 'sha256-[A-Za-z0-9+/=]+')+;/);
  expect(header).not.toMatch(/script-src[^;]*'unsafe-(inline|eval)'/);
  expect(header).toContain("connect-src 'self'");
  expect(response!.headers()['x-content-type-options']).toBe('nosniff');
  expect(response!.headers()['referrer-policy']).toBe('no-referrer');
  expect(response!.headers()['permissions-policy']).toContain('camera=()');
  const meta = await page.locator('meta[http-equiv="content-security-policy"]').getAttribute('content');
  expect(meta).toMatch(/^default-src 'self'; script-src 'self'/);
  expect(meta).not.toContain('frame-ancestors');
});

test('search works under the policy', async ({ page }) => {
  const violations = await watchViolations(page);
  await page.goto('');
  await page.getByRole('button', { name: 'Search' }).click();
  await page.locator('#starlight__search input').fill('statelessly');
  await expect(page.locator('.pagefind-ui__result-link').first()).toBeVisible({ timeout: 15_000 });
  expect(violations).toEqual([]);
});

test('the playground in use causes no violation', async ({ page, context, baseURL }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(baseURL!).origin });
  const violations = await watchViolations(page);
  await page.goto('playground/#case=expired');
  const playground = page.locator('token-playground');
  await expect(page.getByTestId('verdict-status')).toHaveText('401');
  for (const preset of ['valid', 'missing-role', 'two-authorization-headers', 'alg-none']) {
    await playground.getByTestId(`preset-${preset}`).click();
  }
  await playground.getByLabel('Token or request').fill('Authorization: Bearer not.a.token');
  await expect(page.getByTestId('verdict-code')).toHaveText('malformed_token');
  await playground.getByLabel('Backend secret').fill('another-test-secret-only-for-this-check');
  await playground.getByRole('button', { name: 'Copy response' }).click();
  await page.waitForLoadState('networkidle');
  expect(violations).toEqual([]);
});

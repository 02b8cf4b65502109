import { expect, test } from '@playwright/test';
import { sitemapPaths } from './site';

const paths = sitemapPaths();

test('the sitemap lists the site pages', () => {
  expect(paths).toContain('');
  expect(paths).toContain('concepts/flow/');
});

for (const path of paths) {
  test(`/${path} loads with status 200 and no console errors`, async ({ page }) => {
    const errors: string[] = [];
    page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
    page.on('pageerror', (error) => errors.push(error.message));
    const response = await page.goto(path);
    expect(response?.status()).toBe(200);
    await page.waitForLoadState('networkidle');
    expect(errors).toEqual([]);
  });
}

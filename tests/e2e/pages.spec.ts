import { expect, test } from '@playwright/test';
import { axeViolations, sitemapPaths, THEMES, useTheme, watchCspViolations } from './site';

const paths = sitemapPaths();

test('the sitemap lists the site pages', () => {
  expect(paths).toContain('');
  expect(paths).toContain('concepts/flow/');
  expect(paths).toContain('playground/');
});

// One load per page and theme checks everything a reader's browser would notice.
for (const theme of THEMES) {
  for (const path of paths) {
    test(`/${path} (${theme}): status 200, no console error, no CSP violation, no axe violation`, async ({ page }) => {
      const errors: string[] = [];
      page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
      page.on('pageerror', (error) => errors.push(error.message));
      const violations = await watchCspViolations(page);
      await useTheme(page, theme);
      const response = await page.goto(path);
      expect(response?.status()).toBe(200);
      await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
      await page.waitForLoadState('networkidle');
      expect(errors).toEqual([]);
      expect(violations).toEqual([]);
      await expect(page.locator('iframe, frame'), 'axe runs in legacy mode, which checks no frames').toHaveCount(0);
      expect(await axeViolations(page)).toEqual([]);
    });
  }
}

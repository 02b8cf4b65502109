import { expect, test } from '@playwright/test';
import { axeViolations, sitemapPaths, THEMES, useTheme, watchCspViolations } from './site';

const paths = sitemapPaths();

test('the sitemap lists the site pages', () => {
  expect(paths).toContain('');
  expect(paths).toContain('concepts/flow/');
  expect(paths).toContain('playground/');
});

// One load per page and theme checks everything a reader's browser would notice, on a desktop screen and then
// on a 360 px phone.
for (const theme of THEMES) {
  for (const path of paths) {
    test(`/${path} (${theme}): status 200, no console error, no CSP violation, no axe violation, drawn diagrams, no sideways scroll at 360 px`, async ({ page }) => {
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
      // Every diagram is drawn (docs.spec.ts checks there is one per mermaid block of the source).
      for (const svg of await page.locator('figure.diagram svg').all()) await expect(svg).toBeVisible();
      // On a 360 px phone, nothing makes the page scroll sideways.
      await page.setViewportSize({ width: 360, height: 780 });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, `/${path} is ${overflow}px wider than a 360 px screen`).toBeLessThanOrEqual(0);
    });
  }
}

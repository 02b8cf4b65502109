import { expect, test } from '@playwright/test';
import { axeViolations, sitemapPaths, THEMES, useTheme } from './site';

// axeViolations (and the one excused Starlight node) live in site.ts so other specs can reuse them.
export { axeViolations };

for (const theme of THEMES) {
  for (const path of sitemapPaths()) {
    test(`axe: /${path} in the ${theme} theme has no violations`, async ({ page }) => {
      await useTheme(page, theme);
      await page.goto(path);
      await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
      expect(await axeViolations(page)).toEqual([]);
    });
  }
}

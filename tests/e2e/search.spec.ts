import { expect, test } from '@playwright/test';

test('search finds the flow page by a word on it', async ({ page }) => {
  await page.goto('');
  await page.getByRole('button', { name: 'Search' }).click();
  await page.locator('#starlight__search input').fill('statelessly');
  const results = page.locator('.pagefind-ui__result-link');
  await expect(results.first()).toBeVisible({ timeout: 15_000 });
  await expect(page.locator('.pagefind-ui__result-link[href$="concepts/flow/"]')).toHaveCount(1);
});

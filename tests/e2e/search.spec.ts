import { expect, test } from '@playwright/test';

test('search finds the flow page by a word on it', async ({ page }) => {
  await page.goto('');
  await page.getByRole('button', { name: 'Search' }).click();
  const input = page.locator('#starlight__search input');
  await input.fill('statelessly');
  const result = page.locator('.pagefind-ui__result-link').first();
  await expect(result).toBeVisible();
  await expect(result).toHaveAttribute('href', /concepts\/flow/);
});

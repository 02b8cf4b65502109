import { expect, test } from '@playwright/test';

test('the flow diagram is an inline SVG with a text alternative, and no mermaid script loads', async ({ page }) => {
  const scripts: string[] = [];
  page.on('request', (request) => request.resourceType() === 'script' && scripts.push(request.url()));
  await page.goto('concepts/flow/');
  const svg = page.locator('figure.diagram svg[aria-roledescription="sequence"]').first();
  await expect(svg).toBeVisible();
  await expect(svg.locator('title')).toHaveText('The happy path');
  await expect(svg).toHaveAttribute('aria-labelledby', /chart-title/);
  // the SVG carries no <style> of its own: the site's stylesheet colours it per theme
  expect(await svg.locator('style').count()).toBe(0);
  await page.getByText('The same steps as text').first().click();
  await expect(page.locator('figure.diagram ol li').first()).toContainText('User → Browser: Signs in');
  const html = await page.content();
  expect(html).not.toMatch(/<script[^>]*mermaid/i);
  expect(scripts.filter((url) => /mermaid/i.test(url))).toEqual([]);
});

test('diagram text follows the theme', async ({ page }) => {
  await page.goto('concepts/flow/');
  const fill = () => page.locator('svg.diagram-svg text.messageText').first().evaluate((el) => getComputedStyle(el).fill);
  await page.evaluate(() => document.documentElement.setAttribute('data-theme', 'light'));
  const light = await fill();
  await page.evaluate(() => document.documentElement.setAttribute('data-theme', 'dark'));
  const dark = await fill();
  expect(light).not.toEqual(dark);
});

import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { select, selectAll } from 'hast-util-select';
import { toString } from 'hast-util-to-string';
import { CONTRACT_VERSION } from '../../src/contract/data/contract.ts';
import { servedPage, sitemapPaths } from './site';

const vectors = JSON.parse(readFileSync(new URL('../../public/vectors.json', import.meta.url), 'utf8'));
const markdownPath = (path: string) => (path === '' ? 'index.md' : `${path.replace(/\/$/, '')}.md`);

test('llms.txt links every page as Markdown', async ({ request, baseURL }) => {
  const response = await request.get('llms.txt');
  expect(response.status()).toBe(200);
  const text = await response.text();
  expect(text).toMatch(/^# Bearer contract\n\n> /);
  for (const path of sitemapPaths()) {
    expect(text, `llms.txt lists ${path}`).toContain(`${new URL(baseURL!).pathname}${markdownPath(path)})`);
  }
  const full = await request.get('llms-full.txt');
  expect(full.status()).toBe(200);
  expect((await full.text()).length).toBeGreaterThan(text.length);
});

test('every page links to itself as Markdown, with the contract version and vectors date', async ({ request }) => {
  // Read from the served HTML: the link and the footer line are in the page's markup.
  for (const path of sitemapPaths()) {
    const tree = await servedPage(request, path);
    const title = toString(select('h1', tree)!).trim();
    const link = selectAll('a[href]', tree).find((anchor) => toString(anchor).trim() === 'this page as Markdown');
    const href = String(link?.properties.href ?? '');
    expect(href, `/${path}`).toMatch(new RegExp(`${markdownPath(path).replace('.', '\\.')}$`));
    const markdown = await request.get(href);
    expect(markdown.status(), href).toBe(200);
    expect(markdown.headers()['content-type'], href).toMatch(/^text\/markdown/);
    expect(await markdown.text(), href).toMatch(new RegExp(`^# ${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\n`));
    const footer = select('.contract-meta', tree);
    expect(footer, `/${path} has the contract line`).toBeTruthy();
    const meta = toString(footer!);
    expect(meta, `/${path}`).toContain('Contract v1');
    expect(meta, `/${path}`).toContain(vectors.generated);
  }
});

test('every page has a canonical URL, a social preview and icons', async ({ request }) => {
  for (const path of sitemapPaths()) {
    const html = await (await request.get(path)).text();
    const attribute = (pattern: RegExp) => html.match(pattern)?.[1] ?? '';
    expect(attribute(/<link rel="canonical" href="([^"]+)"/), path).toMatch(/^https?:\/\//);
    expect(attribute(/<meta property="og:image" content="([^"]+)"/), path).toMatch(/\/og\.png$/);
    expect(attribute(/<meta property="og:description" content="([^"]+)"/), path).toMatch(/.{20,}/);
    expect(attribute(/<link rel="apple-touch-icon" href="([^"]+)"/), path).toMatch(/apple-touch-icon\.png$/);
  }
});

test('unknown addresses get the 404 page with status 404', async ({ page }) => {
  const response = await page.goto('no/such/page/');
  expect(response?.status()).toBe(404);
  await expect(page.locator('h1')).toHaveText('Page not found');
  await page.getByRole('link', { name: 'Back to the start' }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.locator('h1')).toContainText('Bearer contract');
});

test('the vectors, the icons and the preview image are served', async ({ request }) => {
  const file = await request.get('vectors.json');
  expect(file.status()).toBe(200);
  expect((await file.json()).contract).toBe(CONTRACT_VERSION);
  for (const asset of ['favicon.svg', 'apple-touch-icon.png', 'og.png', 'sitemap-index.xml']) {
    expect((await request.get(asset)).status(), asset).toBe(200);
  }
});

test('text is served compressed to clients that accept it, as static hosts do (what Lighthouse measures)', async ({ request }) => {
  const compressed = await request.get('playground/', { headers: { 'accept-encoding': 'gzip' } });
  expect(compressed.headers()['content-encoding']).toBe('gzip');
  expect(compressed.headers()['vary']).toBe('accept-encoding');
  const plain = await request.get('playground/', { headers: { 'accept-encoding': 'identity' } });
  expect(plain.headers()['content-encoding']).toBeUndefined();
  expect(await compressed.text()).toBe(await plain.text());
  const image = await request.get('og.png', { headers: { 'accept-encoding': 'gzip' } });
  expect(image.headers()['content-encoding']).toBeUndefined();
});

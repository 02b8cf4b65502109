// The documentation pages: sidebar, diagrams, generated tables, playground links, descriptions.
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { select, selectAll } from 'hast-util-select';
import { toString } from 'hast-util-to-string';
import libraryDefaults from '../../src/data/library-defaults.json' with { type: 'json' };
import { CLAIMS, outcomeScenario } from '../../src/components/docs/data.ts';
import { OUTCOMES } from '../../src/contract/data/contract.ts';
import { EXAMPLE_SCENARIO } from '../../src/contract/scenarios/index.ts';
import { EXAMPLE_AUDIENCE, EXAMPLE_ISSUER, TEST_SECRET, VECTOR_NOW } from '../../src/contract/data/fixtures.ts';
import { verdict } from '../../src/contract/verifier/verify.ts';
import { servedPage, sitemapPaths } from './site';

/** The sidebar the site promises, in order (paths relative to the base). */
const SIDEBAR = [
  { group: 'Start here', paths: ['', 'start/overview/', 'start/walkthrough/', 'playground/'] },
  { group: 'Concepts', paths: ['concepts/flow/', 'concepts/profiles/', 'concepts/security/', 'concepts/decisions/'] },
  { group: 'Reference', paths: ['reference/token/', 'reference/frontend/', 'reference/backend/', 'reference/errors/', 'reference/changelog/'] },
  { group: 'Guides', paths: ['guides/troubleshooting/', 'guides/conformance/', 'guides/migrate-to-key-set/'] },
  { group: 'Examples', paths: ['examples/nextjs/', 'examples/fastapi/'] },
];
const SIDEBAR_PATHS = SIDEBAR.flatMap((group) => group.paths);
const BASE = (process.env.BASE_PATH || '/').replace(/\/?$/, '/');

/** The MDX source of a page. */
function source(path: string): string {
  const file = path === '' ? 'index' : path.replace(/\/$/, '');
  return readFileSync(new URL(`../../content/docs/${file}.mdx`, import.meta.url), 'utf8');
}
const mermaidFences = (text: string) => (text.match(/^\s*```mermaid\s*$/gm) ?? []).length;
/** The front matter's description, without the YAML quotes it may be written in. */
const frontMatterDescription = (text: string) =>
  text
    .match(/^---\n[\s\S]*?^description:\s*(.+)$/m)?.[1]
    ?.trim()
    .replace(/^'(.*)'$/, (_, inner: string) => inner.replace(/''/g, "'"))
    .replace(/^"(.*)"$/, '$1');

test('the sidebar lists exactly the planned pages, grouped and in order', async ({ page }) => {
  await page.goto('start/overview/');
  const sidebar = page.locator('#starlight__sidebar');
  const groups = await sidebar.locator('details > summary').allInnerTexts();
  expect(groups.map((text) => text.trim())).toEqual(SIDEBAR.map((group) => group.group));
  const hrefs = await sidebar.locator('a').evaluateAll((links) => links.map((link) => new URL((link as HTMLAnchorElement).href).pathname));
  expect(hrefs).toEqual(SIDEBAR_PATHS.map((path) => `${BASE}${path}`));
});

test('every page is served with each mermaid diagram of its source as an inline SVG with a title, and no mermaid source left', async ({ request }) => {
  // Read from the served HTML (the build renders the diagrams); pages.spec.ts, which renders every page, checks
  // that each diagram is visible.
  for (const path of SIDEBAR_PATHS) {
    const tree = await servedPage(request, path);
    expect(selectAll('h1', tree).length, `/${path} has a heading`).toBeGreaterThan(0);
    const svgs = selectAll('figure.diagram svg[aria-roledescription="sequence"]', tree);
    expect(svgs.length, `/${path}`).toBe(mermaidFences(source(path)));
    for (const svg of svgs) {
      const title = select('title', svg);
      expect(title && toString(title).trim(), `/${path}: every diagram has a title`).toBeTruthy();
    }
    expect(selectAll('pre.mermaid', tree), `/${path}`).toEqual([]);
  }
});

test('the flow page has the six required diagrams plus the happy path', async () => {
  expect(mermaidFences(source('concepts/flow/'))).toBeGreaterThanOrEqual(7);
});

test('the error table has one row per contract outcome plus the 200 row, in check order', async ({ page }) => {
  await page.goto('reference/errors/');
  const rows = page.locator('[data-testid="outcome-table"] tbody tr');
  await expect(rows).toHaveCount(OUTCOMES.length + 1);
  const codes = await rows.evaluateAll((elements) => elements.map((row) => row.getAttribute('data-code')));
  expect(codes).toEqual([...OUTCOMES.map((outcome) => outcome.code), 'ok']);
  for (const [index, outcome] of OUTCOMES.entries()) {
    const row = rows.nth(index);
    await expect(row.locator('td').nth(2)).toContainText(String(outcome.status));
    await expect(row.locator('td').nth(1)).toContainText(outcome.code);
    await expect(row.locator('td').nth(1)).toContainText(outcome.detail);
    await expect(row.locator('td').nth(3)).toHaveText(outcome.wwwAuthenticate ?? 'not sent');
  }
  await expect(rows.last().locator('td').nth(2)).toContainText('200');
});

// One row per outcome; a code can have two rows (server_misconfigured: check secret, or key-source), so rows go by check and code.
const tableRows = [
  ...OUTCOMES.map((outcome) => ({ code: outcome.code as string, check: outcome.check as string, status: outcome.status as number, scenario: outcomeScenario(outcome) })),
  { code: 'ok', check: 'ok', status: 200, scenario: EXAMPLE_SCENARIO.ok },
];
// Every row's link is followed as a reader does: click it, see the playground's answer, go Back to the table
// (from the back/forward cache). The rows go in three groups that run side by side: one errors page per group.
const GROUPS = 3;
for (let group = 0; group < GROUPS; group++) {
  const rows = tableRows.filter((_, index) => index % GROUPS === group);
  test(`"Try it" opens the playground answering each row's status: ${rows.map((row) => `${row.code} (${row.check})`).join(', ')}`, async ({ page }) => {
    test.setTimeout(120_000);
    await page.goto('reference/errors/');
    for (const row of rows) {
      const cells = page.locator(`[data-testid="outcome-table"] tbody tr[data-code="${row.code}"][data-check="${row.check}"]`);
      const link = cells.locator('a[data-testid="try-it"]');
      await expect(link, `${row.code} (${row.check})`).toHaveAttribute('href', `${BASE}playground/#case=${row.scenario}`);
      await link.click();
      await expect(page).toHaveURL(new RegExp(`/playground/#case=${row.scenario}$`));
      await expect(page.getByTestId('verdict-status'), `${row.code} (${row.check})`).toHaveText(String(row.status));
      await expect(page.getByTestId('verdict-code'), `${row.code} (${row.check})`).toHaveText(row.code === 'ok' ? '—' : row.code);
      await page.goBack();
      await expect(page).toHaveURL(/\/reference\/errors\/$/);
    }
  });
}

test('the library-defaults table has one row per entry of library-defaults.json', async ({ page }) => {
  await page.goto('reference/backend/');
  const rows = page.locator('[data-testid="library-defaults"] tbody tr');
  await expect(rows).toHaveCount(libraryDefaults.rows.length);
  const vectors = await rows.evaluateAll((elements) => elements.map((row) => row.getAttribute('data-vector')));
  expect(vectors).toEqual(libraryDefaults.rows.map((row) => row.vector));
  for (const [index, entry] of libraryDefaults.rows.entries()) {
    const cells = rows.nth(index).locator('td');
    await expect(cells.nth(2)).toContainText(entry.pyjwt.outcome === 'accept' ? 'accepts' : 'rejects');
    await expect(cells.nth(3)).toContainText(entry.jose.outcome === 'accept' ? 'accepts' : 'rejects');
  }
});

test('the claims table lists every claim, and the sample token is real and accepted by the engine', async ({ page }) => {
  await page.goto('reference/token/');
  const claims = await page.locator('[data-testid="claims-table"] tbody tr').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-claim')));
  expect(claims).toEqual(CLAIMS.map((claim) => claim.name));
  const token = (await page.getByTestId('sample-token').textContent())?.trim() ?? '';
  expect(token.split('.')).toHaveLength(3);
  const answer = await verdict({ authorization: `Bearer ${token}`, secret: TEST_SECRET, now: VECTOR_NOW, issuer: EXAMPLE_ISSUER, audience: EXAMPLE_AUDIENCE });
  expect(answer).toMatchObject({ status: 200, code: null });
  const payload = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8'));
  await expect(page.locator('.token-part-payload pre')).toHaveText(JSON.stringify(payload, null, 2));
  await expect(page.locator('.sample-token figcaption')).toContainText('test secret');
});

test('every page has its own meta description, the one its front matter gives', async ({ request }) => {
  // The description is in the served HTML itself: read it as a crawler does, without rendering the page.
  const seen = new Map<string, string>();
  for (const path of sitemapPaths()) {
    const description = select('meta[name="description"]', await servedPage(request, path))?.properties.content?.toString() ?? '';
    expect(description.length, `/${path}`).toBeGreaterThanOrEqual(50);
    expect(seen.get(description), `/${path} repeats the description of /${seen.get(description)}`).toBeUndefined();
    seen.set(description, path);
    if (SIDEBAR_PATHS.includes(path)) expect(description).toBe(frontMatterDescription(source(path)));
  }
});

test('every code has an anchor in the error table, and every check one in the backend checklist (the playground links there)', async ({ page }) => {
  await page.goto('reference/errors/');
  for (const code of new Set([...OUTCOMES.map((outcome) => outcome.code), 'ok'])) {
    await expect(page.locator(`#code-${code}`), code).toHaveCount(1);
  }
  await page.goto('reference/backend/');
  for (const check of new Set(OUTCOMES.map((outcome) => outcome.check))) {
    await expect(page.locator(`#check-${check}`), check).toHaveCount(1);
  }
});

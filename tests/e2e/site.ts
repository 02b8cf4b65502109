// Helpers shared by the end-to-end specs: the built pages, their served HTML, a theme switch, axe, and a CSP
// violation watcher.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, type APIRequestContext, type Page } from '@playwright/test';
import { fromHtml } from 'hast-util-from-html';

/** Paths of every page in the built sitemap, relative to the site's base (e.g. "concepts/flow/"). */
export function sitemapPaths(): string[] {
  const dist = process.env.DIST_DIR ? resolve(process.env.DIST_DIR) : new URL('../../dist', import.meta.url).pathname;
  const xml = readFileSync(`${dist}/sitemap-0.xml`, 'utf8');
  const base = (process.env.BASE_PATH || '/').replace(/\/?$/, '/');
  return [...xml.matchAll(/<loc>([^<]+)<\/loc>/g)].map((match) => {
    const path = new URL(match[1]!).pathname;
    return path.startsWith(base) ? path.slice(base.length) : path.replace(/^\//, '');
  });
}

/** A page as the server sends it (status 200), parsed: for checks on its markup that need no rendering. */
export async function servedPage(request: APIRequestContext, path: string) {
  const response = await request.get(path);
  expect(response.status(), `/${path}`).toBe(200);
  return fromHtml(await response.text());
}

export const THEMES = ['light', 'dark'] as const;
export type Theme = (typeof THEMES)[number];

/** Starlight reads the theme from localStorage before first paint; set it before any page script runs. */
export async function useTheme(page: Page, theme: Theme) {
  await page.addInitScript((value) => localStorage.setItem('starlight-theme', value), theme);
  await page.emulateMedia({ colorScheme: theme });
}

/**
 * Known and accepted: Starlight's own search button shows a "Ctrl K" hint beside its "Search" label,
 * which axe 4.14 reports as label-content-name-mismatch. The accessible name ("Search") is the visible
 * label; the hint is a keyboard shortcut also exposed through aria-keyshortcuts. Only that one element
 * is excused; the rule stays on for everything else.
 */
const EXCUSED = [{ rule: 'label-content-name-mismatch', target: 'button[data-open-modal=""]' }];

/**
 * axe's violations on the page, as "rule: target" lines. Legacy mode runs axe inside the page instead of
 * gathering results in an extra blank page: the same rules and results, two to three times faster here.
 * Its one limit, no cross-origin frames, does not apply: the site has no frames.
 * resultTypes ['violations']: every rule still runs on every node and every violation is reported with all
 * its nodes; only the passes, incomplete and inapplicable lists (which this never reads) are cut to one node
 * per rule, so axe does not build selectors and HTML snippets for tens of thousands of passing nodes. That is
 * three times faster on the long example pages (12,000 elements, mostly highlighted code).
 */
export async function axeViolations(page: Page) {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag21a', 'wcag2aa', 'wcag21aa', 'wcag22aa', 'best-practice'])
    .setLegacyMode(true)
    .options({ resultTypes: ['violations'] })
    .analyze();
  return results.violations.flatMap((violation) =>
    violation.nodes
      .map((node) => node.target.join(' '))
      .filter((target) => !EXCUSED.some((excused) => excused.rule === violation.id && excused.target === target))
      .map((target) => `${violation.id}: ${target}`),
  );
}

/** Collects CSP violations the page reports and the browser logs. Call before the first navigation. */
export async function watchCspViolations(page: Page): Promise<string[]> {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
  });
  await page.exposeFunction('reportCspViolation', (text: string) => violations.push(text));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      (window as unknown as { reportCspViolation: (text: string) => void }).reportCspViolation(
        `${event.violatedDirective} blocked ${event.blockedURI || 'inline'} (${event.sourceFile}:${event.lineNumber})`,
      );
    });
  });
  return violations;
}

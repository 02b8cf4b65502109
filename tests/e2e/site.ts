// Helpers shared by the end-to-end specs: the list of built pages and a theme switch.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from '@playwright/test';

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

export const THEMES = ['light', 'dark'] as const;
export type Theme = (typeof THEMES)[number];

/** Starlight reads the theme from localStorage before first paint; set it before any page script runs. */
export async function useTheme(page: Page, theme: Theme) {
  await page.addInitScript((value) => localStorage.setItem('starlight-theme', value), theme);
  await page.emulateMedia({ colorScheme: theme });
}

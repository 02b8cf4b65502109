/**
 * npm run budgets: builds the site once (or reuses it with --no-build) and reports, per page type, the
 * JavaScript and CSS each page loads (gzip bytes). Fails when a page without the playground loads any
 * JavaScript of the site's own (anything beyond Starlight and its integrations), or when the playground
 * island's own JavaScript exceeds its budget.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { builtPages } from '../src/integrations/built-pages.ts';
import { sha256, type ScriptProvenance } from '../src/integrations/script-provenance.ts';

const ISLAND_BUDGET = 30 * 1024;
const root = fileURLToPath(new URL('../', import.meta.url));
const dist = process.env.DIST_DIR ? resolve(process.env.DIST_DIR) : join(root, 'dist');
const cacheDir = process.env.ASTRO_CACHE_DIR ? resolve(process.env.ASTRO_CACHE_DIR) : join(root, 'node_modules/.astro');
const base = (process.env.BASE_PATH || '/').replace(/\/?$/, '/');

if (!process.argv.includes('--no-build')) {
  const build = spawnSync('astro', ['build'], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
const provenancePath = join(cacheDir, 'script-provenance.json');
if (!existsSync(provenancePath)) {
  console.error(`budgets: ${provenancePath} is missing: build the site first`);
  process.exit(1);
}
const provenance: ScriptProvenance = JSON.parse(readFileSync(provenancePath, 'utf8'));

/**
 * A module the site ships of its own accord: its source, and the libraries the island bundles (jose), as
 * opposed to Starlight, Astro and their integrations. A chunk of jose alone is still the island's JavaScript.
 */
const ISLAND_LIBRARIES = ['/node_modules/jose/'];
const isOwn = (id: string) => id.startsWith(root) && (!id.includes('/node_modules/') || ISLAND_LIBRARIES.some((library) => id.includes(library)));
const gz = (text: string | Buffer) => gzipSync(text).length;
const asset = (href: string) => join(dist, href.replace(/^https?:\/\/[^/]+/, '').slice(base.length - 1).replace(/^\//, ''));

/** A JS file and every file it statically imports. */
function jsClosure(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file) || !existsSync(file)) return seen;
  seen.add(file);
  const code = readFileSync(file, 'utf8');
  for (const match of code.matchAll(/(?:import|export)\s*(?:[^'"()]*?from\s*)?["']([^"']+\.js)["']/g)) {
    const spec = match[1]!;
    jsClosure(spec.startsWith('.') ? join(file, '..', spec) : asset(spec), seen);
  }
  return seen;
}

interface PageReport {
  page: string;
  kind: 'home' | 'content' | 'playground';
  frameworkJs: number;
  ownJs: number;
  css: number;
  ownModules: string[];
}

// Our sources never use is:inline scripts, so every verbatim inline script belongs to Starlight or Astro.
const ownInline = spawnSync('grep', ['-rlE', '<script[^>]*is:inline', join(root, 'src')], { encoding: 'utf8' }).stdout.trim();

/**
 * Start-up costs the budgets in bytes do not show: the first call of toLocaleString or Intl, and the first
 * date or time input on a page, make the browser set up its locale data (30 to 100 ms of main thread on this
 * machine, 4 times that on a phone). The site's own code writes numbers and dates itself.
 */
const LOCALE_SETUP = /\.toLocale(?:String|DateString|TimeString)\(|\bIntl\.|\.localeCompare\(/;
const DATE_INPUT = /<input\b[^>]*\btype="(?:date|time|datetime-local|month|week)"/;
const localeSetups: string[] = [];
for (const [file, modules] of Object.entries(provenance.files)) {
  const path = join(dist, file);
  if (file.endsWith('.js') && modules.some(isOwn) && existsSync(path) && LOCALE_SETUP.test(readFileSync(path, 'utf8'))) localeSetups.push(file);
}

const reports: PageReport[] = [];
for (const file of builtPages(dist)) {
  const html = readFileSync(file, 'utf8');
  if (DATE_INPUT.test(html)) localeSetups.push(`${relative(dist, file)} (a date or time input)`);
  const page = `/${relative(dist, file).replace(/index\.html$/, '').replace(/\\/g, '/')}`;
  let frameworkJs = 0;
  let ownJs = 0;
  let css = 0;
  const ownModules = new Set<string>();
  const files = new Set<string>();
  for (const match of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)) {
    const attributes = match[1]!;
    const src = attributes.match(/\bsrc="([^"]+)"/)?.[1];
    if (src) {
      for (const path of jsClosure(asset(src))) files.add(path);
      continue;
    }
    if (/type="application\/(ld\+)?json"/.test(attributes)) continue;
    const modules = provenance.inline[sha256(match[2]!.trim())] ?? [];
    const own = modules.filter(isOwn);
    own.forEach((id) => ownModules.add(relative(root, id)));
    if (own.length) ownJs += gz(match[2]!);
    else frameworkJs += gz(match[2]!);
  }
  for (const path of files) {
    const modules = provenance.files[relative(dist, path).replace(/\\/g, '/')] ?? [];
    const own = modules.filter(isOwn);
    own.forEach((id) => ownModules.add(relative(root, id.split('?')[0]!)));
    if (own.length) ownJs += gz(readFileSync(path));
    else frameworkJs += gz(readFileSync(path));
  }
  for (const match of html.matchAll(/<link\b[^>]*rel="stylesheet"[^>]*>/g)) {
    const href = match[0].match(/href="([^"]+)"/)?.[1];
    if (href && existsSync(asset(href))) css += gz(readFileSync(asset(href)));
  }
  for (const match of html.matchAll(/<style\b[^>]*>([\s\S]*?)<\/style>/g)) css += gz(match[1]!);
  const kind = page === base ? 'home' : [...ownModules].some((id) => id.includes('Playground') || id.includes('playground/')) ? 'playground' : 'content';
  reports.push({ page, kind, frameworkJs, ownJs, css, ownModules: [...ownModules] });
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const failures: string[] = [];
if (localeSetups.length) failures.push(`locale data set up at start (toLocaleString, Intl or a date input) in: ${localeSetups.join(', ')}`);
if (ownInline) failures.push(`is:inline scripts in the site's sources (not allowed, they bypass bundling and CSP hashing): ${ownInline}`);
console.log('budgets: JavaScript and CSS each page loads (gzip)\n');
console.log(`${'page'.padEnd(34)} ${'type'.padEnd(11)} ${'Starlight JS'.padStart(12)} ${'own JS'.padStart(9)} ${'CSS'.padStart(9)}`);
for (const report of reports.sort((a, b) => a.page.localeCompare(b.page))) {
  console.log(`${report.page.padEnd(34)} ${report.kind.padEnd(11)} ${kb(report.frameworkJs).padStart(12)} ${kb(report.ownJs).padStart(9)} ${kb(report.css).padStart(9)}`);
  if (report.kind !== 'playground' && report.ownJs > 0) {
    failures.push(`${report.page} loads the site's own JavaScript (${report.ownModules.join(', ')}); content pages may only load Starlight's`);
  }
  if (report.kind === 'playground' && report.ownJs > ISLAND_BUDGET) {
    failures.push(`${report.page}: the playground island is ${kb(report.ownJs)}, over its ${kb(ISLAND_BUDGET)} budget`);
  }
}
console.log('\nper page type (largest page of each type):');
for (const kind of ['home', 'content', 'playground'] as const) {
  const of = reports.filter((report) => report.kind === kind);
  if (!of.length) continue;
  const max = (key: 'frameworkJs' | 'ownJs' | 'css') => Math.max(...of.map((report) => report[key]));
  console.log(`  ${kind.padEnd(11)} ${String(of.length).padStart(3)} page(s)  Starlight JS ${kb(max('frameworkJs'))}  own JS ${kb(max('ownJs'))}${kind === 'playground' ? ` (budget ${kb(ISLAND_BUDGET)})` : ''}  CSS ${kb(max('css'))}`);
}
if (failures.length) {
  console.error(`\nbudgets: FAILED\n${failures.map((failure) => `  - ${failure}`).join('\n')}`);
  process.exit(1);
}
console.log('\nbudgets: within budget');

/**
 * npm run audit: Lighthouse (mobile preset, the machine's Chromium) on the home page, a reference page
 * and the playground of the built site. Prints the four category scores per page and fails when any is
 * below 0.9. Pass other pages as arguments: npm run audit -- concepts/flow/
 * Performance under simulated throttling varies from run to run on a busy machine, so each page is
 * measured RUNS times (default 5, AUDIT_RUNS to change) and the median of each score counts, as
 * Lighthouse's own documentation on variability recommends (five runs, the median).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { CHROMIUM_ARGS, systemChromium } from './browser.mjs';

const THRESHOLD = 0.9;
const RUNS = Math.max(1, Number(process.env.AUDIT_RUNS || 5));
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const PORT = Number(process.env.AUDIT_PORT || 4440);
const base = (process.env.BASE_PATH || '/').replace(/\/?$/, '/');
const pages = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
const targets = pages.length ? pages : ['', 'reference/errors/', 'playground/'];
const dist = resolve(process.env.DIST_DIR || 'dist');

if (!process.argv.includes('--no-build')) {
  const build = spawnSync('astro', ['build'], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
if (!existsSync(`${dist}/index.html`)) {
  console.error(`audit: no built site in ${dist}`);
  process.exit(1);
}

const server = spawn(process.execPath, ['scripts/serve-dist.mjs', '--port', String(PORT)], { stdio: ['ignore', 'pipe', 'inherit'] });
await new Promise<void>((ready, fail) => {
  server.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('Serving') && ready());
  server.on('exit', (code) => fail(new Error(`the static server exited with ${code}`)));
});

const chrome = await chromeLauncher.launch({
  chromePath: systemChromium(),
  chromeFlags: ['--headless=new', ...CHROMIUM_ARGS],
});
const failures: string[] = [];
try {
  const categories = ['performance', 'accessibility', 'best-practices', 'seo'] as const;
  console.log(`audit: Lighthouse ${(await import('lighthouse/package.json', { with: { type: 'json' } })).default.version}, mobile preset, median of ${RUNS} run${RUNS === 1 ? '' : 's'} per page\n`);
  console.log(`${'page'.padEnd(28)} ${categories.map((name) => name.padStart(15)).join('')}`);
  for (const target of targets) {
    const url = `http://127.0.0.1:${PORT}${base}${target}`;
    const runs: NonNullable<Awaited<ReturnType<typeof lighthouse>>>['lhr'][] = [];
    for (let run = 0; run < RUNS; run++) {
      const result = await lighthouse(url, { port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: [...categories] });
      runs.push(result!.lhr);
    }
    const scores = categories.map((name) => median(runs.map((lhr) => lhr.categories[name]!.score ?? 0)));
    // The run whose performance score is the median, for the details below.
    const lhr = runs.find((candidate) => (candidate.categories.performance!.score ?? 0) === scores[0]) ?? runs[0]!;
    console.log(`${`/${target}`.padEnd(28)} ${scores.map((score) => score.toFixed(2).padStart(15)).join('')}`);
    categories.forEach((name, index) => {
      if (scores[index]! < THRESHOLD) {
        const audits = lhr.categories[name]!.auditRefs
          .filter((ref) => ref.weight > 0 && (lhr.audits[ref.id]!.score ?? 1) < 1)
          .map((ref) => `${ref.id} (${lhr.audits[ref.id]!.score})`);
        failures.push(`/${target} ${name} ${scores[index]!.toFixed(2)} < ${THRESHOLD}: ${audits.join(', ')}`);
      }
    });
    for (const name of categories) {
      const below = lhr.categories[name]!.auditRefs.filter((ref) => ref.weight > 0 && (lhr.audits[ref.id]!.score ?? 1) < 1);
      if (below.length) console.log(`   ${name}: ${below.map((ref) => `${ref.id} ${lhr.audits[ref.id]!.displayValue ?? lhr.audits[ref.id]!.score}`).join('; ')}`);
    }
  }
} finally {
  await chrome.kill();
  server.kill();
}
if (failures.length) {
  console.error(`\naudit: FAILED\n${failures.map((failure) => `  - ${failure}`).join('\n')}`);
  process.exit(1);
}
console.log(`\naudit: every score is at least ${THRESHOLD}`);

// The whole test suite, in the order a failure is cheapest to find. `npm test` runs this.
// Each step prints its wall time; the first failing step stops the run with its exit code.
import { spawnSync } from 'node:child_process';

/** The same site deployed under /bearer-contract/ of another origin, built into its own folder. */
const SUBPATH = {
  BASE_PATH: '/bearer-contract/',
  SITE_URL: 'https://example.github.io',
  DIST_DIR: 'dist-subpath',
  ASTRO_CACHE_DIR: 'node_modules/.astro-subpath',
  E2E_PORT: '4323',
};

const steps = [
  ['types (astro check)', 'astro', ['check']],
  ['vectors are up to date', 'node', ['scripts/generate-vectors.ts', '--check']],
  ['unit tests (vitest)', 'vitest', ['run']],
  ['FastAPI reference verifier (pytest)', 'node', ['scripts/run-python-tests.mjs']],
  ['library defaults table is up to date', 'node', ['scripts/library-defaults.ts', '--check']],
  ['backend end to end (conformance run + Better Auth -> FastAPI)', 'node', ['scripts/backend-e2e.ts']],
  ['Next.js example: next build (with its type check)', 'node', ['examples/nextjs/node_modules/next/dist/bin/next', 'build', 'examples/nextjs'], { NEXT_TELEMETRY_DISABLED: '1' }],
  ['the stack in a browser (npm run stack on spare ports, playwright)', 'playwright', ['test', '--config', 'tests/e2e-stack/playwright.config.ts']],
  ['fuzz (CI size)', 'node', ['scripts/fuzz.ts', '--runs', '20000']],
  ['build', 'astro', ['build']],
  ['end-to-end tests (playwright)', 'playwright', ['test']],
  ['the walkthrough, command by command from the built page (downloads, installs and runs both examples)', 'node', ['scripts/walkthrough-e2e.ts']],
  ['budgets (JS and CSS per page)', 'node', ['scripts/budgets.ts', '--no-build']],
  ['build under a sub-path (as on GitHub Pages)', 'astro', ['build'], SUBPATH],
  ['end-to-end tests under the sub-path', 'playwright', ['test', 'tests/e2e/hosting.spec.ts', 'tests/e2e/search.spec.ts', 'tests/e2e/diagrams.spec.ts'], SUBPATH],
];

const total = Date.now();
for (const [name, command, args, env = {}] of steps) {
  const started = Date.now();
  console.log(`\n=== ${name}: ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, CI: process.env.CI ?? '1', ...env } });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.status !== 0) {
    console.error(`\n✗ ${name} failed after ${seconds} s (exit ${result.status ?? result.signal})`);
    process.exit(result.status || 1);
  }
  console.log(`✓ ${name} (${seconds} s)`);
}
console.log(`\nAll tests passed in ${((Date.now() - total) / 1000).toFixed(1)} s`);

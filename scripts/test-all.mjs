// The whole test suite, in the order a failure is cheapest to find. `npm test` runs this.
// Each step prints its wall time; the first failing step stops the run with its exit code.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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
  // Mostly waiting (the key-set lifecycle waits out the backend's real 30 s cool-down twice): it runs beside
  // the next two steps, on ports of its own, and its output is printed as one block when it ends.
  ['backend end to end (conformance run + Better Auth -> FastAPI)', 'node', ['scripts/backend-e2e.ts'], {}, { background: true }],
  ['Next.js example: next build (with its type check)', 'node', ['examples/nextjs/node_modules/next/dist/bin/next', 'build', 'examples/nextjs'], { NEXT_TELEMETRY_DISABLED: '1' }],
  ['the stack in a browser (npm run stack on spare ports, playwright)', 'playwright', ['test', '--config', 'tests/e2e-stack/playwright.config.ts']],
  ['fuzz (CI size)', 'node', ['scripts/fuzz.ts', '--runs', '20000'], {}, { join: true }],
  ['build', 'astro', ['build']],
  ['end-to-end tests (playwright)', 'playwright', ['test']],
  // The sub-path build and its tests (their own folder, cache and port) run beside the walkthrough, which mostly
  // waits on installs and servers (its ports: 4321, 3000, 8000, 8001).
  [
    'build under a sub-path (as on GitHub Pages), then its end-to-end tests',
    'sh',
    ['-c', 'astro build && playwright test tests/e2e/hosting.spec.ts tests/e2e/search.spec.ts tests/e2e/diagrams.spec.ts tests/e2e/docs.spec.ts'],
    SUBPATH,
    { background: true },
  ],
  ['the walkthrough, command by command from the built page (downloads, installs and runs both examples)', 'node', ['scripts/walkthrough-e2e.ts']],
  ['budgets (JS and CSS per page)', 'node', ['scripts/budgets.ts', '--no-build']],
];

const total = Date.now();
/** Steps running beside the others: each settles with its name, exit code, wall time and held output. */
let background = [];

function fail(name, seconds, code) {
  console.error(`\n✗ ${name} failed after ${seconds} s (exit ${code})`);
  process.exit(typeof code === 'number' && code !== 0 ? code : 1);
}

/** Waits for the background steps, prints each one's output as one block, and stops at the first failure. */
async function joinBackground() {
  for (const { name, done } of background) {
    const { code, seconds, output } = await done;
    console.log(`\n=== ${name} (ran in the background)`);
    process.stdout.write(output);
    if (code !== 0) fail(name, seconds, code);
    console.log(`✓ ${name} (in the background; done within ${seconds} s of its start)`);
  }
  background = [];
}

for (const [name, command, args, env = {}, options = {}] of steps) {
  if (options.join) await joinBackground();
  const started = Date.now();
  const childEnv = { ...process.env, CI: process.env.CI ?? '1', ...env };
  if (options.background) {
    console.log(`\n=== ${name}: ${command} ${args.join(' ')} (in the background; its output follows when it ends)`);
    // Its output goes to a file, not a pipe: the steps after it block this process (spawnSync), and a full pipe
    // would stall the background step until they end.
    const log = join(mkdtempSync(join(tmpdir(), 'test-all-')), 'output.log');
    const fd = openSync(log, 'w');
    const child = spawn(command, args, { stdio: ['ignore', fd, fd], env: childEnv });
    closeSync(fd);
    const done = new Promise((resolve) =>
      child.on('close', (code, signal) => resolve({ code: code ?? signal, seconds: ((Date.now() - started) / 1000).toFixed(1), output: readFileSync(log, 'utf8') })),
    );
    background.push({ name, done });
    continue;
  }
  console.log(`\n=== ${name}: ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { stdio: 'inherit', env: childEnv });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.status !== 0) {
    console.error(`\n✗ ${name} failed after ${seconds} s (exit ${result.status ?? result.signal})`);
    await joinBackground(); // a background step still running is waited for and reported, not orphaned
    process.exit(result.status || 1);
  }
  console.log(`✓ ${name} (${seconds} s)`);
}
await joinBackground();
console.log(`\nAll tests passed in ${((Date.now() - total) / 1000).toFixed(1)} s`);

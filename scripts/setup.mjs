// Installs what the project needs on a fresh machine. Runs on the machine's own Node (20 is fine):
// it is the step that brings the pinned Node 22 into node_modules/.bin, so it imports nothing from there.
//   node scripts/setup.mjs            npm dependencies (the site's and the Next.js example's) + a Chromium
//   node scripts/setup.mjs --python   also the FastAPI example's virtualenv (for the tests)
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { systemChromium, systemHeadlessShell } from './browser.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const want = new Set(process.argv.slice(2));
const log = (message) => console.log(`[setup] ${message}`);
const run = (command, args, options = {}) => execFileSync(command, args, { stdio: 'inherit', cwd: root, ...options });
/** The same as run, without blocking: resolves when the command succeeds, rejects when it fails. */
const runAsync = (command, args, options = {}) =>
  new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'inherit', cwd: root, ...options });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} exited with ${code}`))));
  });
const has = (command) => spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;

/** `npm ci` in `dir` unless its node_modules is at least as new as its package-lock.json. */
async function npmDependencies(dir = root, what = 'npm dependencies') {
  const marker = join(dir, 'node_modules', '.package-lock.json');
  const lock = join(dir, 'package-lock.json');
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) return log(`${what} are installed`);
  log(`installing ${what} (npm ci)`);
  await runAsync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: dir });
}

function chromium() {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const apt = isRoot && has('apt-get');
  const aptInstall = (packages) => run('apt-get', ['install', '-y', '-qq', ...packages], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  // The headless shell runs the headless browser tests without the full browser's UI (scripts/browser.mjs);
  // without it they use the full browser, so a distribution without the package is not an error.
  const missing = [...(systemChromium() ? [] : ['chromium']), ...(systemHeadlessShell() ? [] : ['chromium-headless-shell'])];
  if (apt && missing.length) {
    log(`installing ${missing.join(' and ')} with apt-get`);
    run('apt-get', ['update', '-qq']);
    try {
      aptInstall(missing);
    } catch {
      if (!systemChromium()) aptInstall(['chromium']);
      log('no chromium-headless-shell package: the browser tests use the full Chromium');
    }
  }
  if (systemChromium()) return log(`using system Chromium at ${systemChromium()}${systemHeadlessShell() ? ` (headless tests: ${systemHeadlessShell()})` : ''}`);
  log("no system Chromium: installing Playwright's own (needs internet)");
  run('npx', ['playwright', 'install', 'chromium']);
}

async function python() {
  const dir = join(root, 'examples', 'fastapi');
  const venvPython = join(dir, '.venv', 'bin', 'python');
  const marker = join(dir, '.venv', '.installed');
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(join(dir, 'requirements.txt')).mtimeMs) {
    return log('Python virtualenv is ready');
  }
  log('creating the FastAPI example virtualenv');
  if (!existsSync(venvPython)) await runAsync('python3', ['-m', 'venv', '.venv'], { cwd: dir });
  await runAsync(venvPython, ['-m', 'pip', 'install', '--quiet', '--retries', '0', '-r', 'requirements.txt'], { cwd: dir });
  run('touch', [marker]);
}

await npmDependencies();
chromium();
// The Next.js example is an app of its own (package.json, package-lock.json): its unit tests, `next build`
// and `npm run stack` use its node_modules. Its install and the virtualenv's (mostly waiting on downloads and
// disk) run side by side.
try {
  await Promise.all([
    npmDependencies(join(root, 'examples', 'nextjs'), 'npm dependencies of examples/nextjs'),
    want.has('--python') ? python() : Promise.resolve(),
  ]);
} catch (error) {
  console.error(`[setup] ${error.message}`);
  process.exit(1);
}

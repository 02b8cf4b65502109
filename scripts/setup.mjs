// Installs what the project needs on a fresh machine. Runs on the machine's own Node (20 is fine):
// it is the step that brings the pinned Node 22 into node_modules/.bin, so it imports nothing from there.
//   node scripts/setup.mjs            npm dependencies (the site's and the Next.js example's) + a Chromium
//   node scripts/setup.mjs --python   also the FastAPI example's virtualenv (for the tests)
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { systemChromium } from './browser.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const want = new Set(process.argv.slice(2));
const log = (message) => console.log(`[setup] ${message}`);
const run = (command, args, options = {}) => execFileSync(command, args, { stdio: 'inherit', cwd: root, ...options });
const has = (command) => spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;

/** `npm ci` in `dir` unless its node_modules is at least as new as its package-lock.json. */
function npmDependencies(dir = root, what = 'npm dependencies') {
  const marker = join(dir, 'node_modules', '.package-lock.json');
  const lock = join(dir, 'package-lock.json');
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) return log(`${what} are installed`);
  log(`installing ${what} (npm ci)`);
  run('npm', ['ci', '--no-audit', '--no-fund'], { cwd: dir });
}

function chromium() {
  if (systemChromium()) return log(`using system Chromium at ${systemChromium()}`);
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (isRoot && has('apt-get')) {
    log('installing Chromium with apt-get');
    run('apt-get', ['update', '-qq']);
    run('apt-get', ['install', '-y', '-qq', 'chromium'], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    if (systemChromium()) return;
  }
  log("no system Chromium: installing Playwright's own (needs internet)");
  run('npx', ['playwright', 'install', 'chromium']);
}

function python() {
  const dir = join(root, 'examples', 'fastapi');
  const venvPython = join(dir, '.venv', 'bin', 'python');
  const marker = join(dir, '.venv', '.installed');
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(join(dir, 'requirements.txt')).mtimeMs) {
    return log('Python virtualenv is ready');
  }
  log('creating the FastAPI example virtualenv');
  if (!existsSync(venvPython)) run('python3', ['-m', 'venv', '.venv'], { cwd: dir });
  run(venvPython, ['-m', 'pip', 'install', '--quiet', '--retries', '0', '-r', 'requirements.txt'], { cwd: dir });
  run('touch', [marker]);
}

npmDependencies();
// The Next.js example is an app of its own (package.json, package-lock.json): its unit tests, `next build`
// and `npm run stack` use its node_modules.
npmDependencies(join(root, 'examples', 'nextjs'), 'npm dependencies of examples/nextjs');
chromium();
if (want.has('--python')) python();

// Installs what the project needs on a fresh machine. Runs on the machine's own Node (20 is fine):
// it is the step that brings the pinned Node 22 into node_modules/.bin, so it imports nothing from there.
//   node scripts/setup.mjs            npm dependencies + a Chromium for build-time diagrams
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

function npmDependencies() {
  const marker = join(root, 'node_modules', '.package-lock.json');
  const lock = join(root, 'package-lock.json');
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) return log('npm dependencies are installed');
  log('installing npm dependencies (npm ci)');
  run('npm', ['ci', '--no-audit', '--no-fund']);
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
chromium();
if (want.has('--python')) python();

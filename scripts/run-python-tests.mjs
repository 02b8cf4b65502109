// Runs the FastAPI reference verifier's pytest suite in its virtualenv (made by `node scripts/setup.mjs --python`),
// with the published vectors required, so the Python and TypeScript implementations are checked against each other.
// Then runs the same suite on Debian's packaged FastAPI and PyJWT (python3-fastapi 0.92, python3-jwt 2.6) when
// /usr/bin/python3 has them: the example must hold on FastAPI before 0.122 too, where a missing Authorization
// header was answered differently. `.ci/run` installs those packages and sets REQUIRE_SYSTEM_FASTAPI=1, so in CI
// that second run is required. The two runs are independent (random ports, no shared files) and each uses
// one core: they run side by side, the second one's output held and printed after the first's.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('../examples/fastapi/', import.meta.url));
const venvPython = `${dir}.venv/bin/python`;
const SYSTEM_PYTHON = '/usr/bin/python3';
const env = { ...process.env, REQUIRE_VECTORS: '1', PYTHONDONTWRITEBYTECODE: '1' };
/** Runs the suite on `python`; resolves to its exit status. With `held`, its output is kept and given to `held` at the end. */
const pytest = (python, held) =>
  new Promise((resolve) => {
    const child = spawn(python, ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', ...process.argv.slice(2)], { cwd: dir, stdio: held ? ['ignore', 'pipe', 'pipe'] : 'inherit', env });
    let output = '';
    child.stdout?.on('data', (chunk) => (output += chunk));
    child.stderr?.on('data', (chunk) => (output += chunk));
    child.once('error', (error) => (output += `${error.message}\n`));
    child.once('close', (code) => {
      held?.(output);
      resolve(code ?? 1);
    });
  });

if (!existsSync(venvPython)) {
  console.error('No virtualenv in examples/fastapi: run `node scripts/setup.mjs --python` first.');
  process.exit(1);
}
const versions = (python) => {
  const probe = spawnSync(python, ['-c', 'import fastapi, jwt, httpx, pytest; print(fastapi.__version__, jwt.__version__)'], { encoding: 'utf8' });
  return probe.status === 0 ? probe.stdout.trim().split(' ') : null;
};

const [fastapi, pyjwt] = versions(venvPython) ?? ['?', '?'];
const system = existsSync(SYSTEM_PYTHON) ? versions(SYSTEM_PYTHON) : null;
console.log(`[pytest] pinned requirements: FastAPI ${fastapi}, PyJWT ${pyjwt}${system ? ` (Debian's packages run beside it; their output follows)` : ''}`);
let systemOutput = '';
const [status, systemStatus] = await Promise.all([pytest(venvPython), system ? pytest(SYSTEM_PYTHON, (output) => (systemOutput = output)) : 0]);
if (system) {
  console.log(`\n[pytest] Debian's packages (${SYSTEM_PYTHON}): FastAPI ${system[0]}, PyJWT ${system[1]}`);
  process.stdout.write(systemOutput);
}
if (status !== 0) process.exit(status);
if (system) process.exit(systemStatus);
const missing = `${SYSTEM_PYTHON} has no FastAPI, PyJWT, httpx and pytest from Debian (apt-get install python3-fastapi python3-jwt python3-httpx python3-pytest)`;
if (process.env.REQUIRE_SYSTEM_FASTAPI) {
  console.error(`[pytest] ${missing}: the run on older FastAPI is required here.`);
  process.exit(1);
}
console.log(`[pytest] ${missing}: the run on older FastAPI happens in CI, which installs them.`);

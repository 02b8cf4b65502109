// Runs the FastAPI reference verifier's pytest suite in its virtualenv (made by `node scripts/setup.mjs --python`),
// with the published vectors required, so the Python and TypeScript implementations are checked against each other.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('../examples/fastapi/', import.meta.url));
const python = `${dir}.venv/bin/python`;
if (!existsSync(python)) {
  console.error('No virtualenv in examples/fastapi: run `node scripts/setup.mjs --python` first.');
  process.exit(1);
}
const result = spawnSync(python, ['-m', 'pytest', '-q', ...process.argv.slice(2)], {
  cwd: dir,
  stdio: 'inherit',
  env: { ...process.env, REQUIRE_VECTORS: '1' },
});
process.exit(result.status ?? 1);

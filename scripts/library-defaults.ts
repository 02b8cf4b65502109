/**
 * Where plain PyJWT and plain jose, called the way tutorials call them, disagree with the contract.
 * Runs every single-header vector through both libraries (PyJWT through examples/fastapi/tools/pyjwt_defaults.py)
 * and writes src/data/library-defaults.json, which the backend page renders as a table.
 *   node scripts/library-defaults.ts           regenerate
 *   node scripts/library-defaults.ts --check   fail when the committed file is stale
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { jwtVerify } from 'jose';
import { parseAuthorization } from '../src/contract/verifier/authorization.ts';

interface VectorRequest {
  authorization: string | string[] | null;
  secret: string | null;
  now: number;
  leeway?: number;
  issuer?: string;
  audience?: string;
}
interface Vector {
  name: string;
  title: string;
  request: VectorRequest;
  expected: { status: number; code: string | null; check: string | null };
}
type Outcome = 'accept' | 'reject';

const root = new URL('../', import.meta.url);
const vectorsPath = fileURLToPath(new URL('public/vectors.json', root));
const target = new URL('src/data/library-defaults.json', root);
const vectors: Vector[] = JSON.parse(readFileSync(vectorsPath, 'utf8')).vectors;
const joseVersion: string = JSON.parse(readFileSync(new URL('node_modules/jose/package.json', root), 'utf8')).version;

/** Token verification only: the secret, duplicate headers and the route checks (user, role) are not the library's job. */
const NOT_THE_LIBRARYS_JOB = new Set(['secret', 'single-credential', 'user', 'role']);
const relevant = vectors.filter(
  (vector) =>
    !NOT_THE_LIBRARYS_JOB.has(vector.expected.check ?? '') && !Array.isArray(vector.request.authorization) && vector.request.secret,
);

async function jose(vector: Vector): Promise<{ outcome: Outcome; error: string | null }> {
  const { request } = vector;
  const bearer = parseAuthorization(request.authorization);
  if (bearer.kind !== 'token') return { outcome: 'reject', error: 'no Bearer token' };
  try {
    await jwtVerify(bearer.token, new TextEncoder().encode(request.secret!), {
      algorithms: ['HS256'],
      clockTolerance: request.leeway ?? 30,
      currentDate: new Date(request.now * 1000),
      ...(request.issuer ? { issuer: request.issuer } : {}),
      ...(request.audience ? { audience: request.audience } : {}),
    });
    return { outcome: 'accept', error: null };
  } catch (error) {
    const code = (error as { code?: string }).code;
    return { outcome: 'reject', error: code ?? (error instanceof Error ? error.name : 'error') };
  }
}

function pyjwt(): { version: string; results: Map<string, { outcome: Outcome; error: string | null }> } {
  const dir = fileURLToPath(new URL('examples/fastapi/', root));
  const python = existsSync(`${dir}.venv/bin/python`) ? `${dir}.venv/bin/python` : 'python3';
  const run = spawnSync(python, ['-m', 'tools.pyjwt_defaults', vectorsPath], { cwd: dir, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`tools/pyjwt_defaults.py failed: ${run.stderr}`);
  const lines = run.stdout.trim().split('\n').map((line) => JSON.parse(line));
  const results = new Map<string, { outcome: Outcome; error: string | null }>();
  for (const line of lines.slice(1)) results.set(line.name, { outcome: line.pyjwt, error: line.error });
  return { version: lines[0].pyjwt_version, results };
}

const py = pyjwt();
const rows = [];
for (const vector of relevant) {
  const contract: Outcome = vector.expected.status === 200 ? 'accept' : 'reject';
  const joseResult = await jose(vector);
  const pyResult = py.results.get(vector.name) ?? (vector.request.authorization === null ? { outcome: 'reject' as const, error: 'no header' } : undefined);
  if (!pyResult) throw new Error(`tools/pyjwt_defaults.py gave no result for ${vector.name}`);
  if (joseResult.outcome === contract && pyResult.outcome === contract) continue;
  rows.push({ vector: vector.name, title: vector.title, contract, code: vector.expected.code, pyjwt: pyResult, jose: joseResult });
}

const data = {
  compared: relevant.length,
  libraries: {
    pyjwt: {
      name: 'PyJWT',
      version: py.version,
      call: 'HTTPBearer() then jwt.decode(token, secret, algorithms=["HS256"], leeway=30, issuer=..., audience=...)',
    },
    jose: {
      name: 'jose',
      version: joseVersion,
      call: "jwtVerify(token, secret, { algorithms: ['HS256'], clockTolerance: 30, issuer, audience })",
    },
  },
  rows,
};
const text = `${JSON.stringify(data, null, 2)}\n`;
if (process.argv.includes('--check')) {
  if (!existsSync(target) || readFileSync(target, 'utf8') !== text) {
    console.error('src/data/library-defaults.json is stale: run `node scripts/library-defaults.ts` and commit it.');
    process.exit(1);
  }
  console.log(`library defaults: ${rows.length} disagreements among ${relevant.length} vectors, file up to date.`);
} else {
  writeFileSync(target, text);
  console.log(`Wrote src/data/library-defaults.json: ${rows.length} of ${relevant.length} vectors where PyJWT ${py.version} or jose ${joseVersion} disagree with the contract.`);
}

/**
 * Where plain PyJWT and plain jose, called the way tutorials call them, disagree with the contract.
 * Two tables, both written to src/data/library-defaults.json, which the backend page renders:
 * - hs256: every single-header vector of the hs256 profile through jwt.decode with the secret (PyJWT, through
 *   examples/fastapi/tools/pyjwt_defaults.py) and jwtVerify with the secret (jose);
 * - jwks: every single-header vector of the jwks profile whose backend holds a JWK Set, with that set served from
 *   127.0.0.1, through PyJWKClient + jwt.decode (examples/fastapi/tools/pyjwk_client_defaults.py) and
 *   createRemoteJWKSet + jwtVerify (jose, here: one local server per run, a fresh key set object per vector).
 * The tokens and their ECDSA/PSS signatures are read from public/vectors.json, so the file is the same on every run.
 *   node scripts/library-defaults.ts           regenerate
 *   node scripts/library-defaults.ts --check   fail when the committed file is stale
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { type AddressInfo } from 'node:net';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { parseAuthorization } from '../src/contract/verifier/authorization.ts';

interface VectorRequest {
  authorization: string | string[] | null;
  secret: string | null;
  now: number;
  leeway?: number;
  issuer?: string;
  audience?: string;
  profile?: string;
  algorithm?: unknown;
  keys?: unknown;
}
interface Vector {
  name: string;
  title: string;
  request: VectorRequest;
  expected: { status: number; code: string | null; check: string | null };
}
type Outcome = 'accept' | 'reject';
interface Result {
  outcome: Outcome;
  error: string | null;
}

const root = new URL('../', import.meta.url);
const vectorsPath = fileURLToPath(new URL('public/vectors.json', root));
const target = new URL('src/data/library-defaults.json', root);
const vectors: Vector[] = JSON.parse(readFileSync(vectorsPath, 'utf8')).vectors;
const joseVersion: string = JSON.parse(readFileSync(new URL('node_modules/jose/package.json', root), 'utf8')).version;

/** Token verification only: the secret, duplicate headers and the route checks (user, role) are not the library's job. */
const NOT_THE_LIBRARYS_JOB = new Set(['secret', 'single-credential', 'user', 'role']);
/** The profile as the engine reads it: anything but "jwks" or "both" is "hs256". */
const profileOf = (vector: Vector) => (vector.request.profile === 'jwks' || vector.request.profile === 'both' ? vector.request.profile : 'hs256');
const isJwkSet = (keys: unknown): keys is { keys: unknown[] } =>
  keys !== null && typeof keys === 'object' && !Array.isArray(keys) && Array.isArray((keys as { keys?: unknown }).keys);
/** The configured key-set algorithm as the engine reads it: a string, or the default EdDSA. */
const algorithmOf = (vector: Vector) => (typeof vector.request.algorithm === 'string' ? vector.request.algorithm : 'EdDSA');
const libraryCase = (vector: Vector) =>
  !NOT_THE_LIBRARYS_JOB.has(vector.expected.check ?? '') && !Array.isArray(vector.request.authorization);

const hs256Vectors = vectors.filter((vector) => profileOf(vector) === 'hs256' && libraryCase(vector) && vector.request.secret);
const keySetVectors = vectors.filter((vector) => profileOf(vector) === 'jwks' && libraryCase(vector) && isJwkSet(vector.request.keys));

const joseError = (error: unknown) => (error as { code?: string }).code ?? (error instanceof Error ? error.name : 'error');

async function joseSecret(vector: Vector): Promise<Result> {
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
    return { outcome: 'reject', error: joseError(error) };
  }
}

/** jose's answers for the key-set vectors: one local server for the run, its document swapped per vector. */
async function joseKeySet(list: Vector[]): Promise<Map<string, Result>> {
  let document = '{"keys":[]}';
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(document) });
    response.end(document);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/api/auth/jwks`);
  const results = new Map<string, Result>();
  try {
    for (const vector of list) {
      const { request } = vector;
      const bearer = parseAuthorization(request.authorization);
      if (bearer.kind !== 'token') {
        results.set(vector.name, { outcome: 'reject', error: 'no Bearer token' });
        continue;
      }
      document = JSON.stringify(request.keys);
      const JWKS = createRemoteJWKSet(url); // a fresh one: nothing cached from the previous vector
      try {
        await jwtVerify(bearer.token, JWKS, {
          algorithms: [algorithmOf(vector)],
          clockTolerance: request.leeway ?? 30,
          currentDate: new Date(request.now * 1000),
          ...(request.issuer ? { issuer: request.issuer } : {}),
          ...(request.audience ? { audience: request.audience } : {}),
        });
        results.set(vector.name, { outcome: 'accept', error: null });
      } catch (error) {
        results.set(vector.name, { outcome: 'reject', error: joseError(error) });
      }
    }
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  return results;
}

/** Runs one of the tools in examples/fastapi/tools (JSON lines: the version, then one result per vector). */
function pyjwt(tool: string): { version: string; results: Map<string, Result> } {
  const dir = fileURLToPath(new URL('examples/fastapi/', root));
  const python = existsSync(`${dir}.venv/bin/python`) ? `${dir}.venv/bin/python` : 'python3';
  const run = spawnSync(python, ['-m', `tools.${tool}`, vectorsPath], { cwd: dir, encoding: 'utf8', timeout: 300_000 });
  if (run.status !== 0) throw new Error(`tools/${tool}.py failed: ${run.error ?? run.stderr}`);
  const lines = run.stdout.trim().split('\n').map((line) => JSON.parse(line));
  const results = new Map<string, Result>();
  for (const line of lines.slice(1)) results.set(line.name, { outcome: line.pyjwt, error: line.error });
  return { version: lines[0].pyjwt_version, results };
}

const NO_HEADER: Result = { outcome: 'reject', error: 'no header' };
const contractOf = (vector: Vector): Outcome => (vector.expected.status === 200 ? 'accept' : 'reject');
function pyResult(tool: string, results: Map<string, Result>, vector: Vector): Result {
  const result = results.get(vector.name) ?? (vector.request.authorization === null ? NO_HEADER : undefined);
  if (!result) throw new Error(`tools/${tool}.py gave no result for ${vector.name}`);
  return result;
}

const py = pyjwt('pyjwt_defaults');
const rows = [];
for (const vector of hs256Vectors) {
  const contract = contractOf(vector);
  const joseResult = await joseSecret(vector);
  const pyjwtResult = pyResult('pyjwt_defaults', py.results, vector);
  if (joseResult.outcome === contract && pyjwtResult.outcome === contract) continue;
  rows.push({ vector: vector.name, title: vector.title, profile: 'hs256', contract, code: vector.expected.code, pyjwt: pyjwtResult, jose: joseResult });
}

const pyKeySet = pyjwt('pyjwk_client_defaults');
const joseKeySetResults = await joseKeySet(keySetVectors);
const keySetRows = [];
for (const vector of keySetVectors) {
  const contract = contractOf(vector);
  const joseResult = joseKeySetResults.get(vector.name) ?? NO_HEADER;
  const pyjwtResult = pyResult('pyjwk_client_defaults', pyKeySet.results, vector);
  if (joseResult.outcome === contract && pyjwtResult.outcome === contract) continue;
  keySetRows.push({
    vector: vector.name,
    title: vector.title,
    profile: 'jwks',
    algorithm: algorithmOf(vector),
    contract,
    code: vector.expected.code,
    pyjwt: pyjwtResult,
    jose: joseResult,
  });
}

const data = {
  profile: 'hs256',
  compared: hs256Vectors.length,
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
  keySet: {
    profile: 'jwks',
    compared: keySetVectors.length,
    libraries: {
      pyjwt: {
        name: 'PyJWT',
        api: 'PyJWKClient',
        version: pyKeySet.version,
        call: 'HTTPBearer(), then PyJWKClient(url).get_signing_key_from_jwt(token) and jwt.decode(token, signing_key.key, algorithms=[alg], leeway=30, issuer=..., audience=...)',
      },
      jose: {
        name: 'jose',
        api: 'createRemoteJWKSet',
        version: joseVersion,
        call: "jwtVerify(token, createRemoteJWKSet(new URL(url)), { algorithms: [alg], clockTolerance: 30, issuer, audience })",
      },
    },
    rows: keySetRows,
  },
};
const text = `${JSON.stringify(data, null, 2)}\n`;
const summary = `${rows.length} of ${hs256Vectors.length} hs256 vectors and ${keySetRows.length} of ${keySetVectors.length} jwks vectors`;
if (process.argv.includes('--check')) {
  if (!existsSync(target) || readFileSync(target, 'utf8') !== text) {
    console.error('src/data/library-defaults.json is stale: run `node scripts/library-defaults.ts` and commit it.');
    process.exit(1);
  }
  console.log(`library defaults: disagreements in ${summary}, file up to date.`);
} else {
  writeFileSync(target, text);
  console.log(`Wrote src/data/library-defaults.json: ${summary} where PyJWT ${py.version} or jose ${joseVersion} disagree with the contract.`);
}

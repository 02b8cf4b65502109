import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checksFor } from '../../../src/contract/data/contract.ts';
import { TEST_SECRET } from '../../../src/contract/data/fixtures.ts';

const cli = (args: string[], input?: string) =>
  spawnSync(process.execPath, ['src/cli/verdict.ts', ...args], { input, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', BETTER_AUTH_SECRET: '' } });
const vectors = JSON.parse(readFileSync(new URL('../../../public/vectors.json', import.meta.url), 'utf8')).vectors;

describe('npm run verdict', () => {
  it('answers every vector, read as a JSON array on stdin', () => {
    const run = cli([], JSON.stringify(vectors.map((vector: { request: unknown }) => vector.request)));
    expect(run.status).toBe(0);
    const verdicts = JSON.parse(run.stdout);
    expect(verdicts).toHaveLength(vectors.length);
    verdicts.forEach((result: { status: number; code: string | null; check: string | null; wwwAuthenticate: string | null; body: unknown; trace: unknown[] }, index: number) => {
      const { expected, name } = vectors[index];
      expect({ name, status: result.status, code: result.code, check: result.check, wwwAuthenticate: result.wwwAuthenticate }).toEqual({
        name,
        status: expected.status,
        code: expected.code,
        check: expected.check,
        wwwAuthenticate: expected.wwwAuthenticate,
      });
      expect(Object.keys(result)).toEqual(['status', 'code', 'check', 'wwwAuthenticate', 'body', 'trace']);
      expect(result.trace).toHaveLength(checksFor(vectors[index].request.profile ?? 'hs256').length);
    });
  });

  it('answers a single request with a single verdict', () => {
    const run = cli([], JSON.stringify({ authorization: null, secret: TEST_SECRET }));
    expect(JSON.parse(run.stdout)).toMatchObject({ status: 401, code: 'missing_token', wwwAuthenticate: 'Bearer realm="api"', body: { code: 'missing_token' } });
  });

  it('prints a readable report for --token, without the secret', () => {
    const expired = vectors.find((vector: { name: string }) => vector.name === 'expired');
    const token = expired.request.authorization.replace(/^Bearer /, '');
    const run = cli(['--token', token, '--secret', TEST_SECRET, '--now', '2026-01-01T00:00:00Z', '--issuer', 'http://localhost:3000', '--audience', 'http://localhost:8000']);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('2025-12-31T23:00:00Z');
    expect(run.stdout).toMatch(/✗\s+10 Not expired\s+Expired 1 h before now/);
    expect(run.stdout).toContain('HTTP/1.1 401 Unauthorized\n  WWW-Authenticate: Bearer realm="api", error="invalid_token"');
    expect(run.stdout).toContain('{"detail":"The token has expired.","code":"token_expired"}');
    expect(run.stdout).not.toContain(TEST_SECRET);
  });

  it.each([
    [['--bogus'], /Unknown option '--bogus'/],
    [['--token', 'a.b.c'], /give --secret <s> or set BETTER_AUTH_SECRET/],
    [['--token', 'a.b.c', '--secret', 's', '--now', 'yesterday-ish'], /--now: "yesterday-ish" is neither/],
    [['--token', 'a.b.c', '--authorization', 'Bearer x', '--secret', 's'], /either --token or --authorization/],
    [['--secret', 's'], /give --token <jwt> or --authorization/],
  ])('refuses %j with a usage message and exit code 2', (args, message) => {
    const run = cli(args);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).toContain('Usage:');
  });

  it('refuses stdin that is not JSON with exit code 2', () => {
    const run = cli([], '{not json');
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/stdin is not JSON/);
  });
});

describe('npm run verdict, key-set profiles', () => {
  const keySetVector = vectors.find((vector: { name: string }) => vector.name === 'jwks-valid');
  const token = keySetVector.request.authorization.replace(/^Bearer /, '');
  const now = String(keySetVector.request.now);

  it('verifies a key-set token with --profile jwks and --jwks as JSON, and names the key', () => {
    const run = cli(['--token', token, '--profile', 'jwks', '--jwks', JSON.stringify(keySetVector.request.keys), '--now', now, '--json']);
    expect(run.status).toBe(0);
    const verdict = JSON.parse(run.stdout);
    expect(verdict.status).toBe(200);
    expect(verdict.trace.find((step: { check: string }) => step.check === 'key').message).toContain('test-eddsa-1');
  });

  it('reads --jwks from a file, takes --alg, and refuses an algorithm the key set path does not offer', () => {
    const dir = mkdtempSync(join(tmpdir(), 'jwks-'));
    const file = join(dir, 'jwks.json');
    writeFileSync(file, JSON.stringify(keySetVector.request.keys));
    const es256 = cli(['--token', token, '--profile', 'jwks', '--jwks', file, '--alg', 'ES256', '--now', now, '--json']);
    expect(JSON.parse(es256.stdout)).toMatchObject({ status: 401, code: 'unsupported_alg', check: 'alg' });
    const bad = cli(['--token', token, '--profile', 'jwks', '--jwks', file, '--alg', 'HS256']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--alg: "HS256" is not one of');
  });

  it('answers 503 keys_unavailable with --jwks unavailable, and asks for --jwks in the jwks profile', () => {
    const run = cli(['--token', token, '--profile', 'jwks', '--jwks', 'unavailable', '--now', now, '--json']);
    expect(JSON.parse(run.stdout)).toMatchObject({ status: 503, code: 'keys_unavailable', check: 'key', wwwAuthenticate: null });
    const missing = cli(['--token', token, '--profile', 'jwks']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('needs --jwks');
  });
});

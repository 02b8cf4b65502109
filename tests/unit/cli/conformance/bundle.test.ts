/**
 * The single-file CLI (scripts/build-cli.mjs, src/cli/bearer-contract.ts): built into a temporary folder,
 * checked with sha256sum, and run from an empty folder with the machine's Node 20 (not the repository's
 * Node 22, and with no node_modules in reach) against a conforming test server.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_SECRET } from '../../../../src/contract/data/fixtures.ts';
import { buildCli } from '../../../../scripts/build-cli.mjs';
import { ROUTES, engineBackend, listen, runCli } from './support.ts';

/** The first node on the machine that is not this process's (npm puts Node 22 first on PATH); Node 20 preferred. */
function machineNode(): { path: string; version: string } {
  const candidates = ['/usr/bin/node', '/usr/local/bin/node', ...(process.env.PATH ?? '').split(delimiter).map((dir) => join(dir, 'node'))];
  const found: { path: string; version: string }[] = [];
  for (const path of candidates) {
    if (!existsSync(path) || path.includes('node_modules')) continue;
    try {
      found.push({ path, version: execFileSync(path, ['--version'], { encoding: 'utf8' }).trim() });
    } catch {
      // Not runnable.
    }
  }
  return found.find((node) => node.version.startsWith('v20.')) ?? found[0] ?? { path: process.execPath, version: process.version };
}

describe('bearer-contract.mjs: one file, runs anywhere', () => {
  let dir: string;
  let bundle: string;
  let built: Awaited<ReturnType<typeof buildCli>>;
  const node = machineNode();
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bearer-contract-'));
    mkdirSync(join(dir, 'site'));
    mkdirSync(join(dir, 'empty'));
    bundle = join(dir, 'site', 'bearer-contract.mjs');
    built = await buildCli(bundle);
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is one self-contained ESM file with its checksum in sha256sum -c form', () => {
    expect(readdirSync(join(dir, 'site')).sort()).toEqual(['bearer-contract.mjs', 'bearer-contract.mjs.sha256']);
    const text = readFileSync(bundle, 'utf8');
    expect(text.startsWith('#!/usr/bin/env node\n')).toBe(true);
    // Only Node's own modules are imported: jose and the engine are inside.
    const imports = [...text.matchAll(/^import .* from ["']([^"']+)["'];?$/gm)].map((match) => match[1]);
    expect(imports.every((name) => name!.startsWith('node:') || /^[a-z_]+$/.test(name!))).toBe(true);
    expect(text).not.toMatch(/from ["']jose["']/);
    const digest = createHash('sha256').update(readFileSync(bundle)).digest('hex');
    expect(readFileSync(`${bundle}.sha256`, 'utf8')).toBe(`${digest}  bearer-contract.mjs\n`);
    expect(built).toMatchObject({ sha256: digest, bytes: text.length });
    if (existsSync('/usr/bin/sha256sum')) expect(execFileSync('sha256sum', ['-c', 'bearer-contract.mjs.sha256'], { cwd: join(dir, 'site'), encoding: 'utf8' })).toContain('OK');
  });

  it(`runs conformance from an empty folder with the machine's Node (${node.version}) and agrees with a conforming backend`, async () => {
    const engine = engineBackend({ secret: TEST_SECRET });
    const backend = await listen(engine.handler);
    try {
      const run = await runCli(['conformance', '--base-url', backend.url, ...ROUTES, '--secret-env', 'API_SECRET', '--json', 'report.json'], { API_SECRET: TEST_SECRET }, {
        cwd: join(dir, 'empty'),
        command: [node.path, bundle],
      });
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      expect(run.stdout).toMatch(/✓ \d+ passed, 0 mismatched/);
      expect(JSON.parse(readFileSync(join(dir, 'empty', 'report.json'), 'utf8')).summary.mismatched).toBe(0);
      expect(run.stdout).not.toContain(TEST_SECRET);
    } finally {
      await backend.close();
    }
  });

  it('has the verdict command and a usage for unknown commands', async () => {
    const verdict = await runCli(['verdict', '--token', 'a.b.c', '--secret', TEST_SECRET, '--json'], {}, { cwd: join(dir, 'empty'), command: [node.path, bundle] });
    expect(verdict.status).toBe(0);
    expect(JSON.parse(verdict.stdout)).toMatchObject({ status: 401, code: 'malformed_token' });
    const unknown = await runCli(['conformence'], {}, { cwd: join(dir, 'empty'), command: [node.path, bundle] });
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('unknown command "conformence"');
  });
});

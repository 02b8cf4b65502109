/**
 * The GitHub Actions workflow shown on the conformance page (src/cli/github-workflow.yml), run locally with
 * the same steps: the job's environment, the reference FastAPI app under uvicorn (examples/fastapi/.venv),
 * the downloaded file checked with sha256sum -c, and the exact conformance command line of the workflow,
 * run with the machine's Node from an empty folder. Skipped without the virtualenv (node scripts/setup.mjs --python).
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli } from '../../../../scripts/build-cli.mjs';
import { runCli } from './support.ts';

const APP = resolve('examples/fastapi');
const UVICORN = join(APP, '.venv', 'bin', 'uvicorn');
const WORKFLOW = readFileSync('src/cli/github-workflow.yml', 'utf8');

/** The job's env block. */
function jobEnv(yaml: string): Record<string, string> {
  const block = yaml.match(/\n {4}env:\n((?: {6}\S.*\n)+)/)?.[1] ?? '';
  return Object.fromEntries([...block.matchAll(/^ {6}([A-Z_]+): (.+)$/gm)].map((match) => [match[1]!, match[2]!.trim()]));
}

/** The folded `run: >-` command of a named step, as one line. */
function stepCommand(yaml: string, name: string): string {
  const block = yaml.split(`- name: ${name}\n`)[1]?.match(/run: >-\n((?: {10}.*\n)+)/)?.[1];
  if (!block) throw new Error(`no folded run block in step "${name}"`);
  return block.split('\n').map((line) => line.trim()).filter(Boolean).join(' ');
}

/** Splits a command line the way a shell does for plain words and double-quoted strings. */
const words = (command: string) => [...command.matchAll(/"([^"]*)"|(\S+)/g)].map((match) => match[1] ?? match[2]!);

function freePort(): Promise<number> {
  return new Promise((resolvePort) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}

describe.skipIf(!existsSync(UVICORN))('the conformance page\'s GitHub workflow, run locally', () => {
  let dir: string;
  let api: ChildProcess | undefined;
  let baseUrl: string;
  let apiLog = '';
  const env = jobEnv(WORKFLOW);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'conformance-workflow-'));
    mkdirSync(join(dir, 'job'));
    // "Download the conformance CLI": the file the site publishes, checked the way the workflow checks it.
    await buildCli(join(dir, 'job', 'bearer-contract.mjs'));
    execFileSync('sha256sum', ['-c', 'bearer-contract.mjs.sha256'], { cwd: join(dir, 'job') });
    // "Start the API": uvicorn with the job's environment only.
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    api = spawn(UVICORN, ['app:app', '--host', '127.0.0.1', '--port', String(port), '--log-level', 'warning'], {
      cwd: APP,
      env: { PATH: process.env.PATH ?? '', LANG: 'C.UTF-8', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    api.stdout!.on('data', (chunk: Buffer) => (apiLog += chunk));
    api.stderr!.on('data', (chunk: Buffer) => (apiLog += chunk));
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      if (api.exitCode !== null) throw new Error(`the API exited:\n${apiLog}`);
      if (await fetch(`${baseUrl}/healthz`).then((response) => response.ok, () => false)) return;
      await new Promise((wait) => setTimeout(wait, 150));
    }
    throw new Error(`the API did not answer /healthz within 30 s:\n${apiLog}`);
  }, 60_000);

  afterAll(async () => {
    if (api && api.exitCode === null) {
      const exited = new Promise((done) => api!.once('exit', done));
      api.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('the workflow\'s conformance step passes against the reference app: exit 0, reports, job summary', async () => {
    const command = words(stepCommand(WORKFLOW, 'Conformance'));
    expect(command.slice(0, 3)).toEqual(['node', 'bearer-contract.mjs', 'conformance']);
    const args = command.slice(2).map((word) => (word === 'http://127.0.0.1:8000' ? baseUrl : word));
    const node = ['/usr/bin/node', process.execPath].find((path) => existsSync(path))!;
    const summary = join(dir, 'step-summary.md');
    const run = await runCli(args, { BETTER_AUTH_SECRET: env.BETTER_AUTH_SECRET, GITHUB_STEP_SUMMARY: summary }, {
      cwd: join(dir, 'job'),
      command: [node, join(dir, 'job', 'bearer-contract.mjs')],
    });
    expect(run.stdout, `exit ${run.status}\n${run.stdout}\n${run.stderr}\n${apiLog}\n${args.join(" ")}`).toMatch(/✓ \d+ passed, 0 mismatched/);
    expect(run.status).toBe(0);
    expect(run.stdout).not.toMatch(/^::error/m);
    const report = JSON.parse(readFileSync(join(dir, 'job', 'conformance.json'), 'utf8'));
    expect(report).toMatchObject({ partial: false, exitCode: 0, summary: { mismatched: 0, noAnswer: 0 } });
    expect(report.results.filter((result: { kind: string; state: string }) => result.kind !== 'scenario' && result.state === 'passed').length).toBeGreaterThanOrEqual(14);
    expect(readFileSync(join(dir, 'job', 'conformance.xml'), 'utf8')).toContain('classname="conformance.alg"');
    expect(readFileSync(summary, 'utf8')).toMatch(/^## ✅ Bearer contract v1\.1 conformance/);
    expect(run.stdout + readFileSync(join(dir, 'job', 'conformance.json'), 'utf8')).not.toContain(env.BETTER_AUTH_SECRET!);
  }, 120_000);
});

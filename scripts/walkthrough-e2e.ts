/**
 * The onboarding walkthrough, run as a reader would: every shell block of its steps, taken from the built
 * page exactly as its copy button gives it (not retyped), in order, in one bash session in an empty folder,
 * against the site served like a static host at the address the page names (http://localhost:4321/). It
 * downloads the example archives from the site, installs and starts both apps, and checks each `# → text`
 * comment of a block against that block's output. Both servers are stopped at the end, pass or fail.
 *   node scripts/walkthrough-e2e.ts            (after `astro build`; DIST_DIR is honoured)
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fromHtml } from 'hast-util-from-html';
import { selectAll } from 'hast-util-select';
import { toString } from 'hast-util-to-string';
import type { Element } from 'hast';

const root = fileURLToPath(new URL('../', import.meta.url));
const dist = resolve(process.env.DIST_DIR ?? join(root, 'dist'));
const SITE_PORT = 4321;
const PORTS = [SITE_PORT, 3000, 8000, 8001];
const DEADLINE_MS = 15 * 60_000;

export interface Block {
  code: string;
  /** The texts the block's output must contain, from its `# → text` lines (shown on the page, not copied). */
  expect: string[];
}

/** The shell blocks of the walkthrough's steps, as their copy buttons give them. */
export function walkthroughBlocks(html: string): Block[] {
  const tree = fromHtml(html);
  const steps = selectAll('ol.sl-steps', tree);
  const blocks: Block[] = [];
  for (const list of steps) {
    for (const figure of selectAll('figure', list)) {
      if (!selectAll('pre[data-language="sh"]', figure).length) continue;
      const button = selectAll('button[data-code]', figure)[0] as Element | undefined;
      const raw = button?.properties?.dataCode;
      if (typeof raw !== 'string') throw new Error('a shell block of the walkthrough has no copy button');
      const code = raw.replace(/\u007f/g, '\n');
      // The copy button leaves comment lines out of terminal blocks; the expectations are read from the shown lines.
      const shown = selectAll('.ec-line', figure).map((line) => toString(line));
      const expect = shown
        .map((line) => /^\s*# → (.+)$/.exec(line)?.[1]?.trim())
        .filter((text): text is string => Boolean(text));
      blocks.push({ code, expect });
    }
  }
  return blocks;
}

const portFree = (port: number) =>
  new Promise<boolean>((done) => {
    const server = createServer();
    server.once('error', () => done(false));
    server.listen(port, '127.0.0.1', () => server.close(() => done(true)));
  });

/** Waits until the site answers (serve-dist takes a moment to start). */
async function waitForSite(): Promise<void> {
  for (let attempt = 0; attempt < 150; attempt++) {
    try {
      if ((await fetch(`http://localhost:${SITE_PORT}/`)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((done) => setTimeout(done, 200));
  }
  throw new Error(`the site did not start on port ${SITE_PORT}`);
}

function stop(child: ChildProcess | undefined) {
  if (child?.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    // already gone
  }
}

async function main(): Promise<number> {
  const page = join(dist, 'start', 'walkthrough', 'index.html');
  const blocks = walkthroughBlocks(readFileSync(page, 'utf8'));
  if (blocks.length < 5) throw new Error(`only ${blocks.length} shell blocks found in ${page}`);
  for (const port of PORTS) {
    if (!(await portFree(port))) throw new Error(`port ${port} is in use: the walkthrough's commands need ${PORTS.join(', ')} free`);
  }
  const work = mkdtempSync(join(tmpdir(), 'walkthrough-'));
  // The markers start on a line of their own even after output without a final newline.
  const script = ['set -e', ...blocks.flatMap((block, index) => [`printf '\\n@@block ${index + 1}@@\\n'`, block.code]), "printf '\\n@@done@@\\n'"].join('\n');
  writeFileSync(join(work, 'walkthrough.sh'), `${script}\n`);
  console.log(`[walkthrough] ${blocks.length} shell blocks from the built page, run in ${work}`);

  const site = spawn(process.execPath, [join(root, 'scripts', 'serve-dist.mjs'), '--host', 'localhost', '--port', String(SITE_PORT)], {
    env: { ...process.env, DIST_DIR: dist },
    stdio: 'ignore',
    detached: true,
  });
  await waitForSite();
  // The reader's machine: the pinned Node 22 first (the Next.js app needs 22.13 or newer), nothing else of ours.
  const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${join(root, 'node_modules', '.bin')}:${process.env.PATH}`, npm_config_update_notifier: 'false', PIP_RETRIES: process.env.PIP_RETRIES ?? '0' };
  // (pip: no retries against an index this machine cannot reach; a local index, where configured, still answers.)
  for (const name of ['BETTER_AUTH_SECRET', 'AUTH_ISSUER', 'AUTH_AUDIENCE', 'CORS_ORIGINS', 'BETTER_AUTH_URL', 'NEXT_PUBLIC_API_URL', 'INIT_CWD']) delete env[name];
  const shell = spawn('bash', ['walkthrough.sh'], { cwd: work, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const collect = (chunk: Buffer) => {
    const text = chunk.toString();
    output += text;
    for (const line of text.split('\n')) if (line.trim()) process.stdout.write(`  | ${line.slice(0, 200)}\n`);
  };
  shell.stdout!.on('data', collect);
  shell.stderr!.on('data', collect);
  const timer = setTimeout(() => stop(shell), DEADLINE_MS);
  // 'exit', not 'close': the servers started in the background keep the output pipes open.
  const status = await new Promise<number | null>((done) => shell.on('exit', (code) => done(code)));
  await new Promise((done) => setTimeout(done, 200)); // the last output still in the pipe
  clearTimeout(timer);
  stop(shell); // the servers the blocks started in the background belong to the shell's process group
  stop(site);

  const failures: string[] = [];
  const parts = output.split(/^@@block (\d+)@@$/m);
  const outputs = new Map<number, string>();
  for (let index = 1; index < parts.length; index += 2) outputs.set(Number(parts[index]), parts[index + 1] ?? '');
  blocks.forEach((block, index) => {
    const out = outputs.get(index + 1);
    if (out === undefined) return failures.push(`block ${index + 1} never ran`);
    for (const text of block.expect) if (!out.includes(text)) failures.push(`block ${index + 1}: the output lacks "${text}"`);
  });
  if (!output.includes('@@done@@')) failures.unshift(`the commands stopped with exit status ${status} before the end`);
  if (failures.length) {
    console.error(`[walkthrough] ✗ ${failures.length} problem(s):\n${failures.map((failure) => `  - ${failure}`).join('\n')}`);
    for (const log of ['fastapi/api.log', 'nextjs/build.log', 'nextjs/web.log']) {
      try {
        console.error(`--- ${log} (last lines)\n${readFileSync(join(work, log), 'utf8').split('\n').slice(-15).join('\n')}`);
      } catch {
        // not written
      }
    }
    return 1;
  }
  const checks = blocks.reduce((sum, block) => sum + block.expect.length, 0);
  console.log(`[walkthrough] ✓ ${blocks.length} blocks ran in order; ${checks} expected outputs seen`);
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main().catch((error) => {
    console.error(`[walkthrough] ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  });
}

/**
 * For the live tests that bring their own servers (tests/jwks.e2e.ts): a Better Auth instance served over real
 * HTTP (so the FastAPI reference can fetch its /api/auth/jwks), and the FastAPI reference under uvicorn with a
 * configuration of the test's choosing. Both listen on 127.0.0.1 on a free port; stop() ends them.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { type IncomingMessage, type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

const apiDir = fileURLToPath(new URL('../../fastapi/', import.meta.url));
const uvicornPath = `${apiDir}.venv/bin/uvicorn`;

/** A free port on 127.0.0.1, chosen by the system. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function body(request: IncomingMessage): Promise<Uint8Array<ArrayBuffer> | undefined> {
  if (request.method === 'GET' || request.method === 'HEAD') return undefined;
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return new Uint8Array(Buffer.concat(chunks));
}

export interface Served {
  url: string;
  /** Every request the server answered: method, path and status (the FastAPI fetches of /jwks among them). */
  log: { method: string; path: string; status: number; at: number }[];
  stop(): Promise<void>;
}

/** Serves a fetch-style handler (Better Auth's auth.handler) on 127.0.0.1:<port>. */
export async function serve(handler: (request: Request) => Promise<Response>, port: number): Promise<Served> {
  const log: Served['log'] = [];
  const url = `http://127.0.0.1:${port}`;
  const server: Server = createServer(async (incoming, outgoing) => {
    try {
      const headers = new Headers();
      for (const [name, value] of Object.entries(incoming.headers)) {
        if (Array.isArray(value)) for (const item of value) headers.append(name, item);
        else if (value !== undefined) headers.set(name, value);
      }
      const response = await handler(new Request(new URL(incoming.url ?? '/', url), { method: incoming.method, headers, body: await body(incoming) }));
      log.push({ method: incoming.method ?? '', path: incoming.url ?? '', status: response.status, at: Date.now() });
      const out: Record<string, string | string[]> = {};
      response.headers.forEach((value, name) => {
        if (name !== 'set-cookie') out[name] = value;
      });
      const cookies = response.headers.getSetCookie();
      if (cookies.length) out['set-cookie'] = cookies;
      outgoing.writeHead(response.status, out);
      outgoing.end(Buffer.from(await response.arrayBuffer()));
    } catch (error) {
      outgoing.writeHead(500, { 'content-type': 'text/plain' });
      outgoing.end(String(error));
    }
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url,
    log,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export interface Uvicorn {
  url: string;
  output(): string;
  stop(): Promise<void>;
}

/**
 * The FastAPI reference under uvicorn with exactly `env` (plus PATH and LANG: nothing of the caller's shell, so
 * no BETTER_AUTH_SECRET unless `env` has one). Resolves once /healthz answers.
 */
export async function startUvicorn(env: Record<string, string>): Promise<Uvicorn> {
  if (!existsSync(uvicornPath)) throw new Error('no virtualenv in examples/fastapi: run `node scripts/setup.mjs --python` first');
  const port = await freePort();
  const child: ChildProcess = spawn(uvicornPath, ['app:app', '--host', '127.0.0.1', '--port', String(port), '--log-level', 'warning'], {
    cwd: apiDir,
    env: { PATH: process.env.PATH ?? '', LANG: process.env.LANG ?? 'C.UTF-8', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`uvicorn exited with code ${child.exitCode}:\n${output}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) return { url, output: () => output, stop };
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await stop();
  throw new Error(`uvicorn did not answer /healthz within 20 s:\n${output}`);
}

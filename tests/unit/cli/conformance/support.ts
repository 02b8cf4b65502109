/**
 * Shared by the conformance CLI tests: real HTTP servers in the test process (127.0.0.1, random ports), a
 * backend that answers with the verdict engine, and the CLI run as a child process.
 */
import { spawn } from 'node:child_process';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { evaluate } from '../../../../src/contract/verifier/verify.ts';
import type { ConformanceOptions } from '../../../../src/cli/conformance/options.ts';

export const CLI = 'src/cli/conformance.ts';

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI asynchronously (the servers it talks to live in this process). */
export function runCli(
  args: string[],
  env: Record<string, string | undefined> = {},
  options: { cwd?: string; command?: string[]; onSpawn?: (child: ReturnType<typeof spawn>) => void } = {},
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const [command, ...prefix] = options.command ?? [process.execPath, CLI];
    const child = spawn(command!, [...prefix, ...args], {
      cwd: options.cwd,
      env: { PATH: process.env.PATH, NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
    options.onSpawn?.(child);
  });
}

export type Handler = (request: IncomingMessage, response: ServerResponse) => void;

export async function listen(handler: Handler): Promise<{ server: Server; url: string; close: () => Promise<void> }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return { server, url, close };
}

export interface BackendConfig {
  secret: string;
  issuer?: string;
  audience?: string;
  /** Change an answer before it is sent (status, headers, body). */
  tamper?: (answer: { status: number; headers: Record<string, string>; body: string }, request: IncomingMessage) => void;
}

/** A backend whose every answer comes from the verdict engine: /api/me, /api/users/{id}/tasks, /api/admin/stats. */
export function engineBackend(config: BackendConfig) {
  const seen = { maxAuthorizationLines: 0, preflights: 0, requests: 0 };
  const handler: Handler = (request, response) => {
    seen.requests++;
    if (request.method === 'OPTIONS') {
      seen.preflights++;
      response.writeHead(204, { 'Access-Control-Allow-Origin': '*', 'Access-Control-Allow-Headers': 'Authorization' }).end();
      return;
    }
    const lines = request.headersDistinct.authorization ?? [];
    seen.maxAuthorizationLines = Math.max(seen.maxAuthorizationLines, lines.length);
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    void evaluate({
      authorization: lines.length === 0 ? null : lines.length === 1 ? lines[0] : lines,
      secret: config.secret,
      now: Date.now() / 1000,
      issuer: config.issuer,
      audience: config.audience,
      pathUserId: path.match(/^\/api\/users\/([^/]+)\/tasks$/)?.[1],
      requiredRole: path === '/api/admin/stats' ? 'admin' : undefined,
    }).then(({ verdict }) => {
      const headers: Record<string, string> = { 'Content-Type': 'application/json', 'Access-Control-Allow-Origin': '*', 'Access-Control-Expose-Headers': 'WWW-Authenticate' };
      if (verdict.wwwAuthenticate) headers['WWW-Authenticate'] = verdict.wwwAuthenticate;
      const answer = { status: verdict.status as number, headers, body: JSON.stringify(verdict.body ?? { ok: true }) };
      config.tamper?.(answer, request);
      response.writeHead(answer.status, answer.headers).end(answer.body);
    });
  };
  return { handler, seen };
}

export const ROUTES = ['--user-path', '/api/users/{user_id}/tasks', '--role-path', '/api/admin/stats', '--role', 'admin'];

/** Options as parseOptions would give them, for calling the modules directly. */
export function optionsFor(url: string, secret: string, overrides: Partial<ConformanceOptions> = {}): ConformanceOptions {
  return {
    baseUrl: new URL(url),
    secret,
    issuer: null,
    audience: null,
    mePath: '/api/me',
    userPath: null,
    rolePath: null,
    role: null,
    origin: 'http://localhost:3000',
    sameOrigin: false,
    only: [],
    timeoutMs: 5000,
    maxTimeMs: null,
    giveUpAfter: 3,
    progress: 'never',
    format: 'text',
    json: null,
    junit: null,
    ...overrides,
  };
}

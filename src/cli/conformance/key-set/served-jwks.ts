/**
 * The key set the conformance CLI serves for a backend of the jwks or both profile: the contract's TEST key
 * set (TEST_JWKS) at http://<host:port>/jwks.json, which the backend under test is started with as
 * AUTH_JWKS_URL. Every fetch is recorded with its time (the key-set lifecycle checks count them) and
 * reported through `log`. The lifecycle checks can add a key (a rotation) and make the set unavailable
 * (every fetch then answers 503).
 */
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TEST_JWKS } from '../../../contract/data/test-key-set.ts';
import type { Jwk } from '../../../contract/verifier/key-set.ts';

export const SERVED_JWKS_PATH = '/jwks.json';

export interface ServeAddress {
  host: string;
  port: number;
}

export interface Fetch {
  /** Milliseconds since the epoch (the clock given to the server). */
  at: number;
  path: string;
  status: number;
}

/** "127.0.0.1:8200", "localhost:8200" or "[::1]:8200"; null when it is not host:port. */
export function parseServeAddress(value: string): ServeAddress | null {
  const match = /^(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9.-]+)):(\d{1,5})$/.exec(value);
  if (!match) return null;
  const port = Number(match[3]);
  if (!Number.isInteger(port) || port < 1 || port > 65535) return null;
  return { host: match[1] ?? match[2]!, port };
}

/** The URL a backend is configured with for an address. */
export function servedJwksUrl(address: ServeAddress): string {
  const host = address.host.includes(':') ? `[${address.host}]` : address.host;
  return `http://${host}:${address.port}${SERVED_JWKS_PATH}`;
}

export class ServedJwks {
  private server: Server | null = null;
  private readonly extra: Jwk[] = [];
  private available = true;
  /** Every request the server saw, in order (the key set's path and any other). */
  readonly fetches: Fetch[] = [];
  url = '';
  /** When the server started listening (clock ms); null before. */
  startedAt: number | null = null;

  private readonly log: (line: string) => void;
  private readonly clock: () => number;

  constructor(log: (line: string) => void = () => undefined, clock: () => number = Date.now) {
    this.log = log;
    this.clock = clock;
  }

  /** The key set as it is served now: TEST_JWKS plus any added key. */
  keySet(): { keys: Jwk[] } {
    return { keys: [...TEST_JWKS.keys, ...this.extra] };
  }

  /** Publishes one more key (a rotation). */
  addKey(jwk: Jwk): void {
    this.extra.push(jwk);
  }

  /** false: every fetch answers 503 from now on. */
  setAvailable(available: boolean): void {
    this.available = available;
  }

  /** Fetches of the key set itself (other paths are 404s and not counted). */
  keySetFetches(): Fetch[] {
    return this.fetches.filter((fetch) => fetch.path === SERVED_JWKS_PATH);
  }

  async start(address: ServeAddress): Promise<string> {
    const server = createServer((request, response) => {
      const path = new URL(request.url ?? '/', 'http://localhost').pathname;
      const at = this.clock();
      let status: number;
      if (path !== SERVED_JWKS_PATH || (request.method !== 'GET' && request.method !== 'HEAD')) {
        status = 404;
        response.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
      } else if (!this.available) {
        status = 503;
        response.writeHead(503, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-store' }).end('key set unavailable (conformance lifecycle check)\n');
      } else {
        status = 200;
        // No max-age: the backend may cache it for the contract's 10 minutes.
        response.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(this.keySet()));
      }
      this.fetches.push({ at, path, status });
      const count = path === SERVED_JWKS_PATH ? ` (key set fetch ${this.keySetFetches().length})` : '';
      this.log(`[jwks] ${new Date(at).toISOString()} ${request.method ?? 'GET'} ${path} -> ${status}${count}`);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(address.port, address.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    server.unref();
    this.server = server;
    this.startedAt = this.clock();
    this.url = servedJwksUrl({ host: address.host, port: (server.address() as AddressInfo).port });
    return this.url;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    await new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  }
}

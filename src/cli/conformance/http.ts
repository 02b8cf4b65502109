/**
 * One HTTP request with exactly the header lines given (several lines may share a name, which fetch cannot
 * do), bounded in time and size: the deadline covers the whole answer (connection, headers and body), so a
 * server that drips a byte every few seconds or sends an endless chunked body is cut at the deadline, and at
 * most MAX_BODY_BYTES of the body are read. Failures are worded for people: "cannot reach" only when no
 * connection was made; once connected, a timeout or a reset is "the server stopped answering".
 */
import http, { type IncomingHttpHeaders } from 'node:http';
import https from 'node:https';
import { MAX_BODY_BYTES } from './options.ts';

export interface HttpAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  distinct: NodeJS.Dict<string[]>;
  body: string;
  /** Whether the body was longer than MAX_BODY_BYTES (the rest was not read). */
  truncated: boolean;
}

/**
 * Why no answer came:
 * - unreachable: no connection (refused, unknown host, no route, no connection before the deadline);
 * - stopped: connected, but no complete answer before the deadline, or the connection was reset or closed;
 * - tls: https:// against a server that does not speak TLS, or a certificate that is not trusted;
 * - not-http: the server answered with something that is not HTTP (often https behind an http:// URL);
 * - client-refused: Node's HTTP client will not send this header value;
 * - aborted: the run was stopped (--max-time, Ctrl-C).
 */
export type FailureKind = 'unreachable' | 'stopped' | 'tls' | 'not-http' | 'client-refused' | 'aborted';

export class RequestFailure extends Error {
  readonly kind: FailureKind;
  readonly code: string | undefined;
  constructor(kind: FailureKind, message: string, code?: string) {
    super(message);
    this.kind = kind;
    this.code = code;
  }
}

export interface SendOptions {
  /** Milliseconds for the whole answer. */
  deadlineMs: number;
  agent?: http.Agent;
  signal?: AbortSignal;
  maxBodyBytes?: number;
}

const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL']);
const CERTIFICATE = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|ERR_TLS_CERT_ALTNAME_INVALID/;

/** A plain sentence for a failure (no OpenSSL text). */
export function classify(url: URL, error: NodeJS.ErrnoException, connected: boolean, deadlineMs: number): RequestFailure {
  const code = error.code;
  const where = url.host;
  const seconds = `${deadlineMs / 1000} s`;
  if (code === 'ABORTED') return new RequestFailure('aborted', 'the run was stopped before the answer came', code);
  if (code === 'DEADLINE') {
    return connected
      ? new RequestFailure('stopped', `the server stopped answering: no complete answer within ${seconds}`, code)
      : new RequestFailure('unreachable', `cannot reach ${where}: no connection within ${seconds}`, code);
  }
  if (code && UNREACHABLE.has(code)) {
    const why = code === 'ECONNREFUSED' ? 'connection refused' : code === 'ENOTFOUND' || code === 'EAI_AGAIN' ? 'unknown host' : 'no route to the host';
    return new RequestFailure('unreachable', `cannot reach ${where} (${code}: ${why})`, code);
  }
  if (code && CERTIFICATE.test(code)) {
    return new RequestFailure('tls', `the TLS certificate of ${where} is not trusted (${code}); for a private CA set NODE_EXTRA_CA_CERTS`, code);
  }
  if (url.protocol === 'https:' && (code?.startsWith('ERR_SSL') || code === 'EPROTO' || /SSL|TLS|wrong version number/i.test(error.message))) {
    return new RequestFailure('tls', `${where} does not speak https (TLS): is it a plain http server? Try --base-url http://${where}`, code);
  }
  if (code?.startsWith('HPE_')) {
    const hint = url.protocol === 'http:' ? ` (an https server? Try --base-url https://${where})` : '';
    return new RequestFailure('not-http', `the server's answer is not HTTP${hint}`, code);
  }
  if (!connected) return new RequestFailure('unreachable', `cannot reach ${where} (${code ?? error.message})`, code);
  const how = code === 'ECONNRESET' || /socket hang up/i.test(error.message) ? 'the connection was reset or closed' : code ?? error.message;
  return new RequestFailure('stopped', `the server stopped answering (${how})`, code);
}

export function urlFor(baseUrl: URL, path: string): URL {
  const prefix = baseUrl.pathname.replace(/\/+$/, '');
  return new URL(`${prefix}${path}`, baseUrl.origin);
}

export function send(url: URL, method: string, headerLines: [string, string][], options: SendOptions): Promise<HttpAnswer> {
  const transport = url.protocol === 'https:' ? https : http;
  const limit = options.maxBodyBytes ?? MAX_BODY_BYTES;
  return new Promise((resolvePromise, reject) => {
    let connected = false;
    let settled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const onAbort = () => request?.destroy(Object.assign(new Error('aborted'), { code: 'ABORTED' }));
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      outcome();
    };
    const fail = (error: NodeJS.ErrnoException) => finish(() => reject(classify(url, error, connected, options.deadlineMs)));

    let request: http.ClientRequest | undefined;
    try {
      request = transport.request(url, { method, agent: options.agent, headers: { Accept: 'application/json' } });
      const grouped = new Map<string, string[]>();
      for (const [name, value] of headerLines) grouped.set(name, [...(grouped.get(name) ?? []), value]);
      // An array makes node:http write one header line per value.
      for (const [name, values] of grouped) request.setHeader(name, values.length === 1 ? values[0]! : values);
    } catch (error) {
      // The request object may already be connecting: drop it quietly.
      request?.on('error', () => undefined).destroy();
      const code = (error as NodeJS.ErrnoException).code;
      reject(new RequestFailure('client-refused', `Node's HTTP client refuses the request (${code ?? String(error)})`, code));
      return;
    }
    if (options.signal?.aborted) {
      request.on('error', () => undefined).destroy();
      reject(new RequestFailure('aborted', 'the run was stopped before the answer came', 'ABORTED'));
      return;
    }
    options.signal?.addEventListener('abort', onAbort, { once: true });
    timer = setTimeout(() => request.destroy(Object.assign(new Error('deadline'), { code: 'DEADLINE' })), options.deadlineMs);
    request.on('socket', (socket) => {
      if (!socket.connecting) connected = true;
      else socket.once('connect', () => (connected = true));
    });
    request.on('error', fail);
    request.on('response', (response) => {
      connected = true;
      const chunks: Buffer[] = [];
      let size = 0;
      const done = (truncated: boolean) =>
        finish(() =>
          resolvePromise({
            status: response.statusCode ?? 0,
            headers: response.headers,
            distinct: response.headersDistinct,
            body: Buffer.concat(chunks).toString('utf8'),
            truncated,
          }),
        );
      response.on('data', (chunk: Buffer) => {
        if (settled) return;
        const room = limit - size;
        chunks.push(room < chunk.length ? chunk.subarray(0, room) : chunk);
        size += chunk.length;
        if (size > limit) {
          done(true);
          request.destroy();
        }
      });
      response.on('error', fail);
      response.on('aborted', () => fail(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })));
      response.on('end', () => done(false));
    });
    request.end();
  });
}

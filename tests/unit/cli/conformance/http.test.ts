/**
 * send() (src/cli/conformance/http.ts) against real misbehaving servers on 127.0.0.1: the deadline covers
 * the whole answer, bodies are capped, failures are worded by what happened.
 */
import { createServer as createNetServer, type AddressInfo, type Server as NetServer, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { send } from '../../../../src/cli/conformance/http.ts';
import { MAX_BODY_BYTES } from '../../../../src/cli/conformance/options.ts';
import { listen } from './support.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function served(handler: Parameters<typeof listen>[0]): Promise<string> {
  const backend = await listen(handler);
  cleanups.push(backend.close);
  return backend.url;
}

/** A raw TCP server: the test writes whatever bytes it wants. */
async function rawServer(onSocket: (socket: Socket) => void): Promise<string> {
  const sockets = new Set<Socket>();
  const server: NetServer = createNetServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    onSocket(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => {
    for (const socket of sockets) socket.destroy();
    return new Promise((resolve) => server.close(() => resolve()));
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const get = (url: string, deadlineMs = 1500) => send(new URL('/api/me', url), 'GET', [], { deadlineMs });

describe('send: the deadline covers the whole answer', () => {
  it('cuts a server that drips one byte every 2 s (headers sent, body never ends)', async () => {
    const url = await served((_request, response) => {
      response.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '100' });
      const timer = setInterval(() => response.write('x'), 2000);
      response.on('close', () => clearInterval(timer));
    });
    const started = Date.now();
    await expect(get(url, 1500)).rejects.toMatchObject({ kind: 'stopped', message: 'the server stopped answering: no complete answer within 1.5 s' });
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('cuts a server that drips its headers byte by byte', async () => {
    const url = await rawServer((socket) => {
      const text = 'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n';
      let index = 0;
      const timer = setInterval(() => (index < text.length ? socket.write(text[index++]!) : undefined), 2000);
      socket.on('close', () => clearInterval(timer));
    });
    await expect(get(url, 1200)).rejects.toMatchObject({ kind: 'stopped' });
  });

  it('cuts an endless chunked body at the byte cap, without waiting for its end', async () => {
    const url = await served((_request, response) => {
      response.writeHead(401, { 'Content-Type': 'application/json' });
      const chunk = 'y'.repeat(16 * 1024);
      const pump = () => {
        while (response.write(chunk));
      };
      response.on('drain', pump);
      pump();
    });
    const answer = await get(url, 5000);
    expect(answer.status).toBe(401);
    expect(answer.truncated).toBe(true);
    expect(Buffer.byteLength(answer.body)).toBe(MAX_BODY_BYTES);
  });

  it('cuts an endless slow chunked body at the deadline', async () => {
    const url = await served((_request, response) => {
      response.writeHead(200, { 'Content-Type': 'application/json' });
      const timer = setInterval(() => response.write('{'), 200);
      response.on('close', () => clearInterval(timer));
    });
    await expect(get(url, 1000)).rejects.toMatchObject({ kind: 'stopped', message: /no complete answer within 1 s/ });
  });
});

describe('send: failures in plain words', () => {
  it('"cannot reach" only when no connection was made', async () => {
    const url = await served(() => undefined);
    await cleanups.pop()!();
    await expect(get(url)).rejects.toMatchObject({ kind: 'unreachable', message: expect.stringMatching(/^cannot reach 127\.0\.0\.1:\d+ \(ECONNREFUSED: connection refused\)$/) });
  });

  it('"stopped answering" when the server accepts the connection and never answers', async () => {
    const url = await rawServer(() => undefined);
    await expect(get(url, 800)).rejects.toMatchObject({ kind: 'stopped', message: 'the server stopped answering: no complete answer within 0.8 s' });
  });

  it('"stopped answering" when the server resets the connection', async () => {
    const url = await rawServer((socket) => socket.once('data', () => socket.resetAndDestroy()));
    await expect(get(url)).rejects.toMatchObject({ kind: 'stopped', message: 'the server stopped answering (the connection was reset or closed)' });
  });

  it('a plain sentence, not OpenSSL text, for https:// against an http server', async () => {
    const url = await served((_request, response) => response.end('{}'));
    const error = await send(new URL('/api/me', url.replace('http:', 'https:')), 'GET', [], { deadlineMs: 2000 }).catch((failure: Error) => failure);
    expect(error).toMatchObject({ kind: 'tls' });
    expect((error as Error).message).toMatch(/^127\.0\.0\.1:\d+ does not speak https \(TLS\): is it a plain http server\? Try --base-url http:\/\//);
    expect((error as Error).message).not.toMatch(/SSL routines|wrong version number|ssl3_/i);
  });

  it('says when the answer is not HTTP at all', async () => {
    const url = await rawServer((socket) => socket.once('data', () => socket.end('\u0015\u0003\u0001\u0000\u0002\u0002\u0046 garbage\r\n\r\n')));
    await expect(get(url)).rejects.toMatchObject({ kind: 'not-http', message: expect.stringMatching(/not HTTP \(an https server\? Try --base-url https:/) });
  });

  it('refuses header values Node cannot send, as client-refused', async () => {
    const url = await served((_request, response) => response.end('{}'));
    await expect(send(new URL('/api/me', url), 'GET', [['Authorization', 'Bearer a\nb']], { deadlineMs: 1000 })).rejects.toMatchObject({ kind: 'client-refused' });
  });

  it('stops at once when the run is aborted', async () => {
    const url = await rawServer(() => undefined);
    const controller = new AbortController();
    setTimeout(() => controller.abort('interrupted (SIGINT)'), 200);
    await expect(send(new URL('/api/me', url), 'GET', [], { deadlineMs: 10_000, signal: controller.signal })).rejects.toMatchObject({ kind: 'aborted' });
  });
});

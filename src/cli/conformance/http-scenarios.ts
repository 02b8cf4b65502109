/**
 * Scenarios only the conformance CLI sends: they are about what a backend does over the network (does it
 * fetch a key from a URL in the token? does it use a key the token carries?), not about the engine's answer.
 * Their expected answers still come from the contract: each minted request goes through the verdict engine
 * (a non-HS256 alg is 401 unsupported_alg; an HS256 token with a foreign key is 401 bad_signature; jku and
 * x5u are ignored, so a correctly signed HS256 token that names one is accepted).
 *
 * The CLI serves the URLs it puts in jku and x5u (on 127.0.0.1) and watches them: a backend that fetches
 * one is a security mismatch, whatever it answered.
 */
import { createHash, createHmac, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { encodeBase64url, encodeBase64urlText } from '../../contract/codec/base64url.ts';
import { signSegments } from '../../contract/codec/sign.ts';
import { bearer, claimsFor } from '../../contract/scenarios/builders.ts';
import type { ScenarioContext } from '../../contract/scenarios/index.ts';

type AsymmetricAlg = 'RS256' | 'ES256' | 'EdDSA';

/** Key pairs the "attacker" signs with, made once per run. */
export class AttackerKeys {
  private readonly pairs = new Map<AsymmetricAlg, { privateKey: KeyObject; publicKey: KeyObject }>();

  pair(alg: AsymmetricAlg) {
    let pair = this.pairs.get(alg);
    if (!pair) {
      pair =
        alg === 'RS256'
          ? generateKeyPairSync('rsa', { modulusLength: 2048 })
          : alg === 'ES256'
            ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
            : generateKeyPairSync('ed25519');
      this.pairs.set(alg, pair);
    }
    return pair;
  }

  /** The public key as a JWK, with a kid and alg. */
  jwk(alg: AsymmetricAlg): Record<string, unknown> {
    return { ...this.pair(alg).publicKey.export({ format: 'jwk' }), kid: `conformance-${alg.toLowerCase()}`, alg, use: 'sig' };
  }

  /** A JWS signed for real with the attacker's private key. */
  token(alg: AsymmetricAlg, header: Record<string, unknown>, claims: Record<string, unknown>): string {
    const input = `${encodeBase64urlText(JSON.stringify({ ...header, alg }))}.${encodeBase64urlText(JSON.stringify(claims))}`;
    const { privateKey } = this.pair(alg);
    const data = Buffer.from(input);
    const signature =
      alg === 'RS256' ? sign('sha256', data, privateKey) : alg === 'ES256' ? sign('sha256', data, { key: privateKey, dsaEncoding: 'ieee-p1363' }) : sign(null, data, privateKey);
    return `${input}.${encodeBase64url(new Uint8Array(signature))}`;
  }
}

/** A server on 127.0.0.1 that serves key URLs and records every fetch. */
export class KeyUrlWatcher {
  private server: Server | null = null;
  private base = '';
  private readonly documents = new Map<string, { type: string; body: string }>();
  readonly fetched = new Map<string, number>();

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      const path = new URL(request.url ?? '/', 'http://localhost').pathname;
      this.fetched.set(path, (this.fetched.get(path) ?? 0) + 1);
      const document = this.documents.get(path);
      if (!document) response.writeHead(404).end();
      else response.writeHead(200, { 'Content-Type': document.type }).end(document.body);
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(0, '127.0.0.1', resolve);
    });
    this.server.unref();
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** A URL the watcher serves `body` at; the path is unique per scenario. */
  serve(name: string, type: string, body: string): { url: string; path: string } {
    const path = `/${createHash('sha256').update(`${name}${Math.random()}`).digest('hex').slice(0, 12)}/${name}`;
    this.documents.set(path, { type, body });
    return { url: `${this.base}${path}`, path };
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) await new Promise((resolve) => server.close(resolve));
  }
}

export interface HttpScenarioTools {
  keys: AttackerKeys;
  /** Null when the watcher could not start. */
  watcher: KeyUrlWatcher | null;
}

export interface HttpScenario {
  name: string;
  title: string;
  why: string;
  /** Needs the key URL watcher. */
  watches?: boolean;
  /** The Authorization value, and the watched path when the token names a URL. */
  build(context: ScenarioContext, tools: HttpScenarioTools): Promise<{ authorization: string; watched?: string }>;
}

const kidScenario = (alg: AsymmetricAlg): HttpScenario => ({
  name: `kid-${alg.toLowerCase()}`,
  title: `alg ${alg} with a kid, signed with a real ${alg} key`,
  why: 'The hs256 profile takes HS256 only: another alg with a kid must not make the backend look for a key.',
  build: async (context, { keys }) => ({ authorization: bearer(keys.token(alg, { typ: 'JWT', kid: keys.jwk(alg).kid }, claimsFor(context))) }),
});

const urlScenario = (parameter: 'jku' | 'x5u', alg: 'RS256' | 'HS256'): HttpScenario => ({
  name: `${parameter}-${alg.toLowerCase()}`,
  title: `${parameter} pointing at a URL the CLI serves, ${alg}`,
  why:
    alg === 'HS256'
      ? `${parameter} is ignored: a correctly signed HS256 token is accepted, and the URL is never fetched.`
      : `Keys never come from the token: the alg is refused, and the URL in ${parameter} is never fetched.`,
  watches: true,
  build: async (context, { keys, watcher }) => {
    const document =
      parameter === 'jku'
        ? { type: 'application/json', body: JSON.stringify({ keys: [keys.jwk('RS256')] }) }
        : { type: 'application/x-pem-file', body: String(keys.pair('RS256').publicKey.export({ format: 'pem', type: 'spki' })) };
    const served = watcher!.serve(`${parameter}-${alg.toLowerCase()}`, document.type, document.body);
    const claims = claimsFor(context);
    const header = { typ: 'JWT', kid: keys.jwk('RS256').kid, [parameter]: served.url };
    const token =
      alg === 'RS256' ? keys.token('RS256', header, claims) : await signSegments(JSON.stringify({ alg: 'HS256', ...header }), JSON.stringify(claims), context.secret);
    return { authorization: bearer(token), watched: served.path };
  },
});

export const HTTP_SCENARIOS: readonly HttpScenario[] = [
  kidScenario('RS256'),
  kidScenario('ES256'),
  kidScenario('EdDSA'),
  {
    name: 'jwk-embedded-rs256',
    title: 'RS256 signed with the key embedded in the header (jwk)',
    why: 'A key the token carries proves nothing: the alg is refused and the jwk never used.',
    build: async (context, { keys }) => ({ authorization: bearer(keys.token('RS256', { typ: 'JWT', jwk: keys.jwk('RS256') }, claimsFor(context))) }),
  },
  {
    name: 'jwk-embedded-hs256',
    title: 'HS256 signed with an oct key embedded in the header (jwk)',
    why: 'The signature is checked with BETTER_AUTH_SECRET, never with a key from the token: bad_signature.',
    build: async (context) => {
      const foreign = 'conformance-attacker-secret-0123456789abcdef';
      const header = { alg: 'HS256', typ: 'JWT', jwk: { kty: 'oct', k: encodeBase64urlText(foreign) } };
      return { authorization: bearer(await signSegments(JSON.stringify(header), JSON.stringify(claimsFor(context)), foreign)) };
    },
  },
  {
    name: 'kid-path-traversal',
    title: 'HS256 with kid "../../../../dev/null", signed with an empty key',
    why: 'In hs256 the kid is ignored: a kid that names a file must not change the key.',
    build: async (context) => {
      const header = { alg: 'HS256', typ: 'JWT', kid: '../../../../dev/null' };
      const input = `${encodeBase64urlText(JSON.stringify(header))}.${encodeBase64urlText(JSON.stringify(claimsFor(context)))}`;
      // The HMAC of an empty key (what reading /dev/null gives); WebCrypto refuses empty keys, node:crypto does not.
      return { authorization: bearer(`${input}.${createHmac('sha256', Buffer.alloc(0)).update(input).digest('base64url')}`) };
    },
  },
  urlScenario('jku', 'RS256'),
  urlScenario('jku', 'HS256'),
  urlScenario('x5u', 'RS256'),
  urlScenario('x5u', 'HS256'),
];

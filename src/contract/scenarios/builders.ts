/**
 * What the scenario files build with: the context a scenario runs under, the shape of a scenario as its
 * file declares it, and the token builders they share. A scenario states only what it expects (`'ok'` or
 * a code); its check, status and place in the order come from the contract data (see index.ts).
 */
import { encodeBase64urlText } from '../codec/base64url.ts';
import { contractClaims, signClaims, signInput, signSegments, STANDARD_HEADER } from '../codec/sign.ts';
import type { Code, KeySetAlgorithm, Profile } from '../data/contract.ts';
import { EXAMPLE_USER } from '../data/fixtures.ts';
import type { VerdictRequest } from '../verifier/verify.ts';

export interface ScenarioContext {
  /** The backend's profile (hs256 unless the scenario names another). */
  profile: Profile;
  secret: string;
  /** jwks, both: the key set the backend holds (the test key set in the vectors). */
  keys: { keys: Record<string, unknown>[] } | 'unavailable' | null;
  /** jwks, both: the configured algorithm. */
  algorithm: KeySetAlgorithm;
  now: number;
  /** The issuer the backend is configured with, or null. */
  issuer: string | null;
  /** The audience the backend is configured with, or null. */
  audience: string | null;
}

/** A scenario as its group file declares it. */
export interface ScenarioSeed {
  name: string;
  title: string;
  /** Why the answer is what it is, in a sentence. */
  why: string;
  /** The answer: 'ok' for 200, or the code of the failing check. */
  expect: 'ok' | Code;
  /** The backend's profile; hs256 when absent. */
  profile?: Profile;
  /** jwks, both: the algorithm the backend is configured with; EdDSA when absent. */
  algorithm?: KeySetAlgorithm;
  /** Offered as a preset in the playground. */
  preset?: boolean;
  /** What the backend's configuration must be for the scenario to mean what it says. */
  requires?: { issuer?: boolean; audience?: boolean };
  /** Why it cannot be replayed against a running backend over HTTP, if it cannot. */
  notOverHttp?: string;
  build(context: ScenarioContext): Promise<Partial<VerdictRequest>>;
}

export type Claims = Record<string, unknown>;

/** The contract claims for the context's clock, issuer and audience, with some changed or removed. */
export function claimsFor(context: ScenarioContext, extra: Claims = {}, omit: string[] = []): Claims {
  const claims: Claims = {
    ...contractClaims({ now: context.now, issuer: context.issuer, audience: context.audience, sub: EXAMPLE_USER }),
    ...extra,
  };
  for (const name of omit) delete claims[name];
  return claims;
}

/** The Authorization value for a token. */
export const bearer = (token: string) => `Bearer ${token}`;
/** The standard header {"alg":"HS256","typ":"JWT"} as JSON text. */
export const standardHeaderJson = JSON.stringify(STANDARD_HEADER);

/** A valid token with some claims changed or removed. */
export const token = (context: ScenarioContext, extra: Claims = {}, omit: string[] = []) => signClaims(claimsFor(context, extra, omit), context.secret);

/** A token whose payload JSON is written by hand (for values JSON.stringify cannot produce). */
export function rawPayloadToken(context: ScenarioContext, name: string, rawValue: string): Promise<string> {
  const text = JSON.stringify(claimsFor(context, { [name]: '__RAW__' })).replace('"__RAW__"', rawValue);
  return signSegments(standardHeaderJson, text, context.secret);
}

/** A token with this header object and valid claims, signed with HS256 over whatever the header says. */
export const withHeader = (context: ScenarioContext, headerObject: Claims, signWith: 'HS256' | 'HS384' | 'HS512' | 'none' = 'HS256') =>
  signSegments(JSON.stringify(headerObject), JSON.stringify(claimsFor(context)), context.secret, signWith);

/** A token whose payload segment is rewritten (then signed, so only the rewrite is wrong). */
export async function rewrittenPayload(context: ScenarioContext, extra: Claims, rewrite: (segment: string) => string): Promise<string> {
  const payload = rewrite(encodeBase64urlText(JSON.stringify(claimsFor(context, extra))));
  return signInput(`${encodeBase64urlText(standardHeaderJson)}.${payload}`, context.secret);
}

/** A pad claim value that makes the payload segment's length not a multiple of 4 (so it has padding and spare bits). */
export function unevenPad(context: ScenarioContext): string {
  let pad = 'x';
  while (encodeBase64urlText(JSON.stringify(claimsFor(context, { pad }))).length % 4 === 0) pad += 'x';
  return pad;
}

/** The bytes a base64 (or base64url) reading of the secret gives: the "base64-decoded the secret" mistake. */
export function base64Decoded(secret: string): Uint8Array {
  const clean = secret.replace(/-/g, '+').replace(/_/g, '/').replace(/[^A-Za-z0-9+/]/g, '');
  // A length of 4n + 1 cannot be base64: drop the last character, then pad what is left.
  const usable = clean.slice(0, clean.length - (clean.length % 4 === 1 ? 1 : 0));
  const binary = atob(usable.padEnd(Math.ceil(usable.length / 4) * 4, '='));
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}

/**
 * The signer: builds HS256 tokens for samples, presets and vectors, and, on purpose, broken ones.
 * Well-formed tokens go through jose; deliberately broken ones (another alg in the header, alg none,
 * arbitrary header or payload text) are assembled by hand so nothing "fixes" them on the way.
 */
import { CompactSign } from 'jose';
import { encodeBase64url, encodeBase64urlText } from './base64url.ts';
import { DEFAULT_LIFETIME } from '../data/contract.ts';
import { type HmacAlg, hmac } from './hmac.ts';

export type Key = string | Uint8Array;
export const STANDARD_HEADER = { alg: 'HS256', typ: 'JWT' } as const;

const keyBytes = (key: Key) => (typeof key === 'string' ? new TextEncoder().encode(key) : key);

/** Signs claims as an HS256 JWT with the standard header {"alg":"HS256","typ":"JWT"}, through jose. */
export async function signClaims(claims: Record<string, unknown>, key: Key): Promise<string> {
  return new CompactSign(new TextEncoder().encode(JSON.stringify(claims)))
    .setProtectedHeader({ ...STANDARD_HEADER })
    .sign(keyBytes(key));
}

/**
 * Assembles a token from raw header and payload text, signed with the given HMAC (or with an empty
 * signature for "none"). The texts are used exactly as given, even when they are not JSON.
 */
export async function signSegments(
  header: string | Uint8Array,
  payload: string | Uint8Array,
  key: Key,
  signWith: HmacAlg | 'none' = 'HS256',
): Promise<string> {
  const encode = (part: string | Uint8Array) => (typeof part === 'string' ? encodeBase64urlText(part) : encodeBase64url(part));
  return signInput(`${encode(header)}.${encode(payload)}`, key, signWith);
}

/** Signs "header.payload" segments exactly as given (which may be malformed on purpose). */
export async function signInput(input: string, key: Key, signWith: HmacAlg | 'none' = 'HS256'): Promise<string> {
  if (signWith === 'none') return `${input}.`;
  return `${input}.${encodeBase64url(await hmac(signWith, keyBytes(key), input))}`;
}

export interface ClaimsOptions {
  sub?: string;
  email?: string;
  now: number;
  lifetime?: number;
  issuer?: string | null;
  audience?: string | null;
  role?: string;
}

/** The contract's claims for a user, issued at `now` and valid for 15 minutes by default. */
export function contractClaims(options: ClaimsOptions): Record<string, unknown> {
  const iat = Math.floor(options.now);
  const claims: Record<string, unknown> = {
    sub: options.sub ?? 'user_123',
    email: options.email ?? 'ada@example.com',
    iat,
    exp: iat + (options.lifetime ?? DEFAULT_LIFETIME),
  };
  if (options.issuer) claims.iss = options.issuer;
  if (options.audience) claims.aud = options.audience;
  if (options.role !== undefined) claims.role = options.role;
  return claims;
}

/** Flips the lowest bit of the signature's first byte, keeping the text canonical base64url. */
export function flipSignatureBit(token: string): string {
  const [header, payload, signature = ''] = token.split('.');
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  // The second character's value 0b010000 is the lowest bit of the signature's first byte.
  const flipped = alphabet[alphabet.indexOf(signature[1] ?? 'A') ^ 0b010000]!;
  return `${header}.${payload}.${signature[0] ?? ''}${flipped}${signature.slice(2)}`;
}

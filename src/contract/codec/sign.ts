/**
 * The signer: builds HS256 tokens for samples, presets and vectors, and, on purpose, broken ones.
 * Well-formed tokens go through jose; deliberately broken ones (another alg in the header, alg none,
 * arbitrary header or payload text) are assembled by hand so nothing "fixes" them on the way.
 */
import { encodeBase64url, encodeBase64urlText } from './base64url.ts';
import { DEFAULT_LIFETIME } from '../data/contract.ts';
import { type HmacAlg, hmac } from './hmac.ts';

export type Key = string | Uint8Array;
export const STANDARD_HEADER = { alg: 'HS256', typ: 'JWT' } as const;

const keyBytes = (key: Key) => (typeof key === 'string' ? new TextEncoder().encode(key) : key);

/** Signs claims as an HS256 JWT with the standard header {"alg":"HS256","typ":"JWT"}, through jose. */
export async function signClaims(claims: Record<string, unknown>, key: Key): Promise<string> {
  // Imported when first used: the playground's first screen verifies with jose but never signs with it.
  const { CompactSign } = await import('jose/jws/compact/sign');
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

/**
 * Signs "header.payload" (as given) with a private key of the key-set profile (EdDSA, ES256, ES512, RS256,
 * PS256 or Ed25519), through WebCrypto; ECDSA signatures come out as the raw r || s the JWS spec wants.
 */
export async function signInputWithKey(input: string, privateJwk: Record<string, unknown>, alg: string): Promise<string> {
  const subtle = SUBTLE[alg];
  if (!subtle) throw new Error(`cannot sign ${alg} with a key`);
  const { alg: _alg, key_ops: _ops, use: _use, kid: _kid, ...jwk } = privateJwk;
  const key = await crypto.subtle.importKey('jwk', jwk as JsonWebKey, subtle.import, false, ['sign']);
  return signInputWithCryptoKey(input, key, alg);
}

/** Signs "header.payload" with a private CryptoKey (one generated in the browser, say) for a key-set algorithm. */
export async function signInputWithCryptoKey(input: string, key: CryptoKey, alg: string): Promise<string> {
  const subtle = SUBTLE[alg];
  if (!subtle) throw new Error(`cannot sign ${alg} with a key`);
  const signature = await crypto.subtle.sign(subtle.sign, key, new TextEncoder().encode(input));
  return `${input}.${encodeBase64url(new Uint8Array(signature))}`;
}

const SUBTLE: Record<string, { import: AlgorithmIdentifier | EcKeyImportParams | RsaHashedImportParams; sign: AlgorithmIdentifier | EcdsaParams | RsaPssParams }> = {
  EdDSA: { import: { name: 'Ed25519' }, sign: { name: 'Ed25519' } },
  Ed25519: { import: { name: 'Ed25519' }, sign: { name: 'Ed25519' } },
  ES256: { import: { name: 'ECDSA', namedCurve: 'P-256' }, sign: { name: 'ECDSA', hash: 'SHA-256' } },
  ES512: { import: { name: 'ECDSA', namedCurve: 'P-521' }, sign: { name: 'ECDSA', hash: 'SHA-512' } },
  RS256: { import: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, sign: { name: 'RSASSA-PKCS1-v1_5' } },
  PS256: { import: { name: 'RSA-PSS', hash: 'SHA-256' }, sign: { name: 'RSA-PSS', saltLength: 32 } },
};

/** Signs claims with a private key under the header given (which should name its alg and kid). */
export async function signClaimsWithKey(header: Record<string, unknown>, claims: Record<string, unknown>, privateJwk: Record<string, unknown>, alg: string): Promise<string> {
  return signInputWithKey(`${encodeBase64urlText(JSON.stringify(header))}.${encodeBase64urlText(JSON.stringify(claims))}`, privateJwk, alg);
}

/** A raw r || s ECDSA signature re-encoded as DER (what OpenSSL and many signers output): never valid in a JWS. */
export function derEcdsaSignature(raw: Uint8Array): Uint8Array {
  const half = raw.length / 2;
  const integer = (bytes: Uint8Array) => {
    let start = 0;
    while (start < bytes.length - 1 && bytes[start] === 0) start++;
    const trimmed = bytes.slice(start);
    const body = trimmed[0]! & 0x80 ? Uint8Array.of(0, ...trimmed) : trimmed;
    return Uint8Array.of(0x02, body.length, ...body);
  };
  const r = integer(raw.slice(0, half));
  const s = integer(raw.slice(half));
  const length = r.length + s.length;
  const prefix = length < 0x80 ? Uint8Array.of(0x30, length) : Uint8Array.of(0x30, 0x81, length);
  return Uint8Array.of(...prefix, ...r, ...s);
}

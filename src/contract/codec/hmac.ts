/** HMAC through WebCrypto, the same API in browsers and in Node. */
import { encodeBase64url } from './base64url.ts';

export type HmacAlg = 'HS256' | 'HS384' | 'HS512';
const HASH: Record<HmacAlg, string> = { HS256: 'SHA-256', HS384: 'SHA-384', HS512: 'SHA-512' };
const encoder = new TextEncoder();

export async function hmac(alg: HmacAlg, key: Uint8Array, message: string): Promise<Uint8Array> {
  if (key.length === 0) throw new RangeError('an HMAC key needs at least one byte');
  const cryptoKey = await crypto.subtle.importKey('raw', key as BufferSource, { name: 'HMAC', hash: HASH[alg] }, false, ['sign']);
  return new Uint8Array(await crypto.subtle.sign('HMAC', cryptoKey, encoder.encode(message) as BufferSource));
}

export async function hmacSha256Base64url(key: Uint8Array, message: string): Promise<string> {
  return encodeBase64url(await hmac('HS256', key, message));
}

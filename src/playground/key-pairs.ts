/**
 * The builder's key pairs, loaded only when a reader signs with one or asks for a key set: the built-in
 * TEST keys of the key-set profile, and key pairs generated in this tab with WebCrypto. A generated private
 * key is a non-extractable CryptoKey held in this module's memory: never in the state, a link or storage,
 * and gone on reload. Only public keys are ever shown.
 */
import { encodeBase64url, encodeBase64urlText } from '../contract/codec/base64url.ts';
import { signInputWithCryptoKey, signInputWithKey } from '../contract/codec/sign.ts';
import { TEST_JWKS, TEST_KID_FOR, publicKey, testSigningKey } from '../contract/data/test-key-set.ts';
import type { Jwk } from '../contract/verifier/key-set.ts';
import { compactJson } from './builder.ts';
import type { Builder, KeyPairAlg } from './state.ts';

interface GeneratedKey {
  alg: KeyPairAlg;
  privateKey: CryptoKey;
  publicJwk: Jwk;
}

const generated = new Map<string, GeneratedKey>();

const GENERATE: Record<KeyPairAlg, AlgorithmIdentifier | EcKeyGenParams | RsaHashedKeyGenParams> = {
  EdDSA: { name: 'Ed25519' },
  ES256: { name: 'ECDSA', namedCurve: 'P-256' },
  RS256: { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
};

/** The members RFC 7638 hashes for each key type, in its order. */
const THUMBPRINT_MEMBERS: Record<string, string[]> = { OKP: ['crv', 'kty', 'x'], EC: ['crv', 'kty', 'x', 'y'], RSA: ['e', 'kty', 'n'] };

/** The RFC 7638 thumbprint of a public key (SHA-256, base64url): a kid that names the key by its content. */
export async function thumbprint(jwk: Jwk): Promise<string> {
  const members = THUMBPRINT_MEMBERS[String(jwk.kty)] ?? [];
  const canonical = `{${members.map((name) => `${JSON.stringify(name)}:${JSON.stringify(jwk[name])}`).join(',')}}`;
  return encodeBase64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(canonical))));
}

export type Generated = { ok: true; kid: string } | { ok: false; message: string };

/** Generates a TEST key pair for an algorithm in this browser; its kid is its thumbprint. */
export async function generateKeyPair(alg: KeyPairAlg): Promise<Generated> {
  try {
    const pair = (await crypto.subtle.generateKey(GENERATE[alg], false, ['sign', 'verify'])) as CryptoKeyPair;
    const exported = (await crypto.subtle.exportKey('jwk', pair.publicKey)) as Jwk;
    const publicJwk = publicKey(exported);
    const kid = await thumbprint(publicJwk);
    generated.set(kid, { alg, privateKey: pair.privateKey, publicJwk: { ...publicJwk, kid, alg, use: 'sig' } });
    return { ok: true, kid };
  } catch (error) {
    const name = error instanceof Error ? error.name : String(error);
    return { ok: false, message: `This browser cannot generate an ${alg} key pair (${name}). Use the built-in test key, or another algorithm.` };
  }
}

/** The key that signs for the builder: a key pair generated here, or the built-in TEST key of its algorithm. */
export function signingKey(builder: Pick<Builder, 'alg' | 'kid'>): { kid: string; publicJwk: Jwk; generated: boolean } {
  const alg = builder.alg as KeyPairAlg;
  const own = generated.get(builder.kid);
  if (own && own.alg === alg) return { kid: builder.kid, publicJwk: own.publicJwk, generated: true };
  const kid = TEST_KID_FOR[alg];
  return { kid, publicJwk: TEST_JWKS.keys.find((key) => key.kid === kid)!, generated: false };
}

/** The public key set that verifies the builder's tokens: what the app's /api/auth/jwks would serve. */
export function publicKeySet(builder: Pick<Builder, 'alg' | 'kid'>): string {
  return JSON.stringify({ keys: [signingKey(builder).publicJwk] }, null, 2);
}

/** The whole TEST key set of the conformance vectors (usable keys and keys that must never be used). */
export const testKeySet = (): string => JSON.stringify(TEST_JWKS, null, 2);

/** Signs the builder's payload under {"alg", "kid", "typ"} with its key pair. */
export async function signWithKeyPair(builder: Builder): Promise<{ ok: true; token: string } | { ok: false; message: string }> {
  const alg = builder.alg as KeyPairAlg;
  const key = signingKey(builder);
  const input = `${encodeBase64urlText(JSON.stringify({ alg, kid: key.kid, typ: 'JWT' }))}.${encodeBase64urlText(compactJson(builder.claims))}`;
  try {
    const own = key.generated ? generated.get(key.kid)! : null;
    const token = own ? await signInputWithCryptoKey(input, own.privateKey, alg) : await signInputWithKey(input, testSigningKey(key.kid).key, alg);
    return { ok: true, token };
  } catch (error) {
    return { ok: false, message: `This browser cannot sign ${alg} (${error instanceof Error ? error.name : String(error)}).` };
  }
}

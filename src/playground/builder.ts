/**
 * The builder: a claims form and a raw JSON payload, two views of the same text, and the signing of
 * that text with the builder's own secret. Pure functions except signing (WebCrypto, async).
 */
import { DEFAULT_LIFETIME } from '../contract/data/contract.ts';
import { type DecodedToken, decodeToken } from '../contract/codec/decode.ts';
import { EXAMPLE_AUDIENCE, EXAMPLE_ISSUER, EXAMPLE_USER, OTHER_TEST_SECRET, TEST_SECRET } from '../contract/data/fixtures.ts';
import { STANDARD_HEADER, contractClaims, signInput, signSegments } from '../contract/codec/sign.ts';
import { type AuthorizationInput, authorizationValues, parseAuthorization } from '../contract/verifier/authorization.ts';
import { SIGN_ALGS, type Builder, type SignAlg, type State, initialState, isKeyPairAlg } from './state.ts';

/** The claims the form edits, in the order it shows them. */
export const FORM_CLAIMS = ['sub', 'email', 'iat', 'exp', 'iss', 'aud', 'nbf', 'role'] as const;
export type FormClaim = (typeof FORM_CLAIMS)[number];
export const TIME_CLAIMS = ['iat', 'nbf', 'exp'] as const;
const isTimeClaim = (name: string) => (TIME_CLAIMS as readonly string[]).includes(name);

/** The JSON text without whitespace outside strings: literals such as 1e400 or duplicate keys stay as typed. */
export function compactJson(text: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (inString) {
      out += char;
      if (char === '\\' && i + 1 < text.length) out += text[++i];
      else if (char === '"') inString = false;
    } else if (char === '"') {
      inString = true;
      out += char;
    } else if (!/\s/.test(char)) out += char;
  }
  return out;
}

/** The payload as an object, when the text is a JSON object. */
export function parseClaims(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

export const prettyClaims = (claims: Record<string, unknown>) => JSON.stringify(claims, null, 2);

/** What each form field shows for the payload text, or null when the text is not a JSON object. */
export function claimFields(text: string): Record<FormClaim, string> | null {
  const claims = parseClaims(text);
  if (!claims) return null;
  const fields = {} as Record<FormClaim, string>;
  for (const name of FORM_CLAIMS) {
    const value = claims[name];
    fields[name] = value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);
  }
  return fields;
}

/** The value a form field stands for: an empty field removes the claim. */
export function fieldValue(name: FormClaim, text: string): unknown {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  if (isTimeClaim(name)) {
    const number = Number(trimmed);
    return /^-?[\d.]/.test(trimmed) && Number.isFinite(number) ? number : text;
  }
  if (name === 'aud' && trimmed.startsWith('[')) {
    try {
      const value: unknown = JSON.parse(trimmed);
      if (Array.isArray(value)) return value;
    } catch {
      // not an array: a string
    }
  }
  return text;
}

/** The payload text with one claim set from its form field, or null when the text is not a JSON object. */
export function setClaim(text: string, name: FormClaim, fieldText: string): string | null {
  const claims = parseClaims(text);
  if (!claims) return null;
  const value = fieldValue(name, fieldText);
  if (value === undefined) delete claims[name];
  else claims[name] = value;
  return prettyClaims(claims);
}

/** Sets iat to now and exp to the default lifetime later. */
export function issueNow(text: string, now: number): string | null {
  const claims = parseClaims(text);
  if (!claims) return null;
  claims.iat = Math.floor(now);
  claims.exp = Math.floor(now) + DEFAULT_LIFETIME;
  return prettyClaims(claims);
}

export type Signed = { ok: true; token: string } | { ok: false; message: string };

/**
 * Signs the payload text exactly (minus whitespace outside strings) under {"alg": alg, "typ": "JWT"} with the
 * signing secret, or, for a key-pair algorithm, under {"alg", "kid", "typ"} with the builder's key pair.
 */
export async function signBuilder(builder: Builder): Promise<Signed> {
  // Key pairs (and the private TEST keys) are loaded only when a reader signs with one.
  if (isKeyPairAlg(builder.alg)) return (await import('./key-pairs.ts')).signWithKeyPair(builder);
  if (builder.alg !== 'none' && builder.signingSecret === '') {
    return { ok: false, message: 'Type a signing secret to sign (or choose alg "none").' };
  }
  const header = JSON.stringify({ alg: builder.alg, typ: 'JWT' });
  const token = await signSegments(header, compactJson(builder.claims), builder.signingSecret, builder.alg);
  return { ok: true, token };
}

/**
 * The builder loaded from a decoded token: its payload text (pretty when that loses nothing) and its alg.
 * The signing secret is kept, or replaced by `signingSecret` when the caller knows which secret signed it.
 */
export function builderFromToken(decoded: DecodedToken | undefined, current: Builder, signingSecret?: string): Builder {
  const payload = decoded?.segments[1];
  let claims = current.claims;
  if (payload?.decodedText !== undefined) {
    const parsed = parseClaims(payload.decodedText);
    claims = parsed && JSON.stringify(parsed) === compactJson(payload.decodedText) ? prettyClaims(parsed) : payload.decodedText;
  }
  const header = decoded?.header;
  const alg = header?.alg === 'Ed25519' ? 'EdDSA' : header?.alg;
  const known = SIGN_ALGS.includes(alg as SignAlg) ? (alg as SignAlg) : 'HS256';
  // A key pair generated in this tab keeps signing when the token is its own; any other goes to the test key.
  const kid = isKeyPairAlg(known) && known === current.alg && header?.kid === current.kid ? current.kid : '';
  return { claims, alg: known, signingSecret: signingSecret ?? current.signingSecret, kid };
}

/** The first bearer token among the header(s), if there is one. */
export function firstToken(authorization: AuthorizationInput): string | undefined {
  const first = authorizationValues(authorization)[0];
  if (first === undefined) return undefined;
  const parsed = parseAuthorization(first);
  return parsed.kind === 'token' ? parsed.token : undefined;
}

const KNOWN_SIGNING_SECRETS = [TEST_SECRET, OTHER_TEST_SECRET, `${TEST_SECRET}\n`];

/** Which built-in test secret signed this token, if one of them did (so the builder can go on signing alike). */
export async function knownSigningSecret(token: string): Promise<string | undefined> {
  const [header, payload, signature] = token.split('.');
  const alg = decodeToken(token).header?.alg;
  if (signature === undefined || (alg !== 'HS256' && alg !== 'HS384' && alg !== 'HS512')) return undefined;
  for (const secret of KNOWN_SIGNING_SECRETS) {
    if ((await signInput(`${header}.${payload}`, secret, alg)) === token) return secret;
  }
  return undefined;
}

/**
 * The page's opening state: a valid token (the "valid" case's claims) signed with the test secret, on the
 * live clock. Built without the case list, which loads only when a case is opened.
 */
export async function freshState(previous: Pick<State, 'url' | 'answer'>, now: number): Promise<State> {
  const claims = contractClaims({ now, issuer: EXAMPLE_ISSUER, audience: EXAMPLE_AUDIENCE, sub: EXAMPLE_USER });
  const token = await signSegments(JSON.stringify(STANDARD_HEADER), JSON.stringify(claims), TEST_SECRET);
  return {
    ...initialState(),
    input: token,
    url: previous.url,
    answer: previous.answer,
    builder: { claims: prettyClaims(claims), alg: 'HS256', signingSecret: TEST_SECRET, kid: '' },
  };
}

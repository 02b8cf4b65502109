/**
 * The share link: the playground's state in the URL fragment (the part after "#", which browsers never
 * send to a server). Loaded when the page opens with a fragment, or once it is idle. A secret is written only as the name of a built-in test secret; any other secret
 * is left out, and the reader who opens the link is told to type it. Decoding never throws: a fragment
 * that is not a playground state (a heading anchor, garbage) is simply not one.
 */
import { DEFAULT_LEEWAY, PROFILES, type Profile } from '../contract/data/contract.ts';
import { OTHER_TEST_SECRET, TEST_SECRET } from '../contract/data/fixtures.ts';
import { type SignAlg, SIGN_ALGS, type State, initialState, isKeyPairAlg, readKeySetText, waitsForSecret } from './state.ts';
import { privateMembers } from './key-set-view.ts';

export const FORMAT_VERSION = '1';

/** The only secrets a link may name, and the names it uses for them. */
const NAMED_SECRETS: Record<string, string> = { test: TEST_SECRET, 'other-test': OTHER_TEST_SECRET };

function secretName(secret: string): string | null {
  for (const [name, value] of Object.entries(NAMED_SECRETS)) if (value === secret) return name;
  return null;
}

/** Whether a share link carries this secret (only the built-in test secrets, by name, and "no secret"). */
export const linkCarriesSecret = (secret: string) => secret === '' || secretName(secret) !== null;

/** The note beside the share buttons: what the link carries and what it leaves out. */
export function shareNote(
  state: Pick<State, 'secret' | 'secretOmitted' | 'builder' | 'clock' | 'profile' | 'keySet'>,
  carries: (secret: string) => boolean = linkCarriesSecret,
): string {
  const signing = state.builder.signingSecret;
  if (state.profile === 'jwks') {
    return [
      privateMembers(readKeySetText(state.keySet)).length
        ? 'The link leaves the key set out: it holds private key material.'
        : 'The link includes the key set (public keys only).',
      isKeyPairAlg(state.builder.alg) && state.builder.kid !== '' ? 'The key pair generated here stays here: its private key never leaves this tab.' : '',
      state.clock.live ? 'The clock stays live: the receiver sees the verdict at their own time.' : 'The fixed clock travels with the link.',
    ]
      .filter(Boolean)
      .join(' ');
  }
  return [
    waitsForSecret(state)
      ? 'The link still leaves the backend secret out: whoever opens it must type it, and sees the status and code the first sender saw until then.'
      : state.secret === ''
      ? 'The link records that the backend has no secret.'
      : carries(state.secret)
        ? 'The link includes the backend secret, because it is a built-in test secret.'
        : 'The link leaves your backend secret out (it is not the built-in test secret): whoever opens it must type it, and sees the status and code you see until then.',
    carries(signing) || signing === '' || isKeyPairAlg(state.builder.alg) ? '' : 'The signing secret is left out too.',
    state.profile === 'both' ? 'The key set travels with it (public keys only).' : '',
    isKeyPairAlg(state.builder.alg) && state.builder.kid !== '' ? 'The key pair generated here stays here: its private key never leaves this tab.' : '',
    state.clock.live ? 'The clock stays live: the receiver sees the verdict at their own time.' : 'The fixed clock travels with the link.',
  ]
    .filter(Boolean)
    .join(' ');
}

/** What the sender saw: a status and a code (or none for 200). */
export type Seen = { status: number; code: string | null };

/**
 * The fragment (without "#") that stands for a state. When the backend secret stays out of the link, the
 * link carries what the sender saw (`seen`: status and code, never the secret), so that the receiver is
 * told what to expect instead of a verdict the page cannot know.
 */
export function encodeState(state: State, seen: Seen | null = null): string {
  const params = new URLSearchParams();
  params.set('v', FORMAT_VERSION);
  params.set('token', state.input);
  if (state.profile !== 'hs256') {
    // The key set is public keys only; a set that holds private key material stays out of the link.
    params.set('profile', state.profile);
    params.set('algorithm', state.algorithm);
    if (privateMembers(readKeySetText(state.keySet)).length === 0) params.set('keys', state.keySet);
    if (state.keySetUnavailable) params.set('unavailable', '1');
  }
  // A state opened from a link that left its secret out, with the secret not typed yet, passes the
  // question on: no secret is named, and the first sender's answer travels instead of "no secret".
  const backend = waitsForSecret(state) ? null : state.secret === '' ? 'none' : secretName(state.secret);
  if (backend) params.set('secret', backend);
  const sent = waitsForSecret(state) ? state.sender : backend ? null : seen;
  if (sent) params.set('seen', sent.code ? `${sent.status} ${sent.code}` : String(sent.status));
  params.set('now', state.clock.live ? 'live' : String(state.clock.at));
  params.set('leeway', String(state.leeway));
  params.set('iss', state.issuer);
  params.set('aud', state.audience);
  params.set('user', state.pathUserId);
  params.set('role', state.requiredRole);
  if (state.url !== '') params.set('url', state.url);
  params.set('claims', state.builder.claims);
  params.set('alg', state.builder.alg);
  // A key pair generated in the sender's tab cannot travel (its private key never leaves it): the receiver's
  // builder signs with the built-in test key of the same algorithm.
  const signing = secretName(state.builder.signingSecret);
  if (signing) params.set('signing', signing);
  return params.toString();
}

/** The full share link for a state, on the playground page at `pageUrl`. */
export function shareLink(state: State, pageUrl: string, seen: Seen | null = null): string {
  return `${pageUrl.replace(/#.*$/, '')}#${encodeState(state, seen)}`;
}

export type Fragment =
  | { kind: 'none' }
  | { kind: 'case'; name: string }
  | { kind: 'state'; state: State; notes: string[] };

const MAX_TEXT = 200_000;

/** Reads a fragment ("#..." or without "#"). Never throws. */
export function decodeFragment(fragment: unknown): Fragment {
  try {
    return decode(typeof fragment === 'string' ? fragment : '');
  } catch {
    return { kind: 'none' };
  }
}

function decode(fragment: string): Fragment {
  const params = new URLSearchParams(fragment.replace(/^#/, ''));
  const caseName = params.get('case');
  if (caseName !== null) return { kind: 'case', name: caseName.trim() };
  if (!params.has('v') && !params.has('token')) return { kind: 'none' };

  const notes: string[] = [];
  const base = initialState();
  const text = (key: string, fallback: string) => {
    const value = params.get(key);
    if (value === null) return fallback;
    if (value.length > MAX_TEXT) {
      notes.push(`The link's ${key} is too long (over ${MAX_TEXT} characters) and was left out.`);
      return fallback;
    }
    return value;
  };
  if (params.has('v') && params.get('v') !== FORMAT_VERSION) notes.push('The link was made by another version of the playground; some settings may be lost.');

  const state: State = { ...base, builder: { ...base.builder }, caseName: null, built: null };
  state.input = text('token', '');
  const profile = params.get('profile');
  if (profile !== null) {
    if ((PROFILES as readonly string[]).includes(profile)) state.profile = profile as Profile;
    else notes.push(`The link's profile "${profile.slice(0, 20)}" is not one of ${PROFILES.join(', ')}; hs256 is used.`);
  }
  state.algorithm = text('algorithm', base.algorithm);
  state.keySet = text('keys', '');
  state.keySetUnavailable = params.get('unavailable') === '1';
  if (state.profile !== 'hs256' && !params.has('keys')) notes.push('The link carries no key set (it held private key material, or none was set): paste the backend\'s key set.');

  const secret = params.get('secret');
  if (secret === 'none') state.secret = '';
  else if (secret !== null && Object.hasOwn(NAMED_SECRETS, secret)) state.secret = NAMED_SECRETS[secret]!;
  else {
    state.secret = '';
    state.secretOmitted = true;
    const seen = /^([1-5]\d\d)(?: ([a-z_]{1,40}))?$/.exec(params.get('seen') ?? '');
    state.sender = seen ? { status: Number(seen[1]), code: seen[2] ?? null } : null;
  }

  const now = params.get('now');
  if (now !== null && now !== 'live') {
    const at = Number(now);
    if (now.trim() !== '' && Number.isFinite(at)) state.clock = { live: false, at };
    else notes.push('The link\'s clock is not a number of seconds; the live clock is used.');
  }

  const leeway = params.get('leeway');
  if (leeway !== null) {
    const value = Number(leeway);
    if (leeway.trim() !== '' && Number.isFinite(value) && value >= 0) state.leeway = value;
    else notes.push(`The link's leeway is not a non-negative number; ${DEFAULT_LEEWAY} s is used.`);
  }

  state.issuer = text('iss', base.issuer);
  state.audience = text('aud', base.audience);
  state.pathUserId = text('user', '');
  state.requiredRole = text('role', '');
  state.url = text('url', '');
  state.builder.claims = text('claims', base.builder.claims);
  const alg = params.get('alg');
  state.builder.alg = SIGN_ALGS.includes(alg as SignAlg) ? (alg as SignAlg) : 'HS256';
  const signing = params.get('signing');
  state.builder.signingSecret = signing !== null && Object.hasOwn(NAMED_SECRETS, signing) ? NAMED_SECRETS[signing]! : '';
  return { kind: 'state', state, notes };
}

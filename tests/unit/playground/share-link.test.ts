// The share link: encode/decode of the playground state in the URL fragment.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SCENARIOS, scenarioByName } from '../../../src/contract/scenarios/index.ts';
import { OTHER_TEST_SECRET, TEST_SECRET } from '../../../src/contract/data/fixtures.ts';
import { KEY_SET_ALGORITHMS, PROFILES } from '../../../src/contract/data/contract.ts';
import { TEST_JWKS } from '../../../src/contract/data/test-key-set.ts';
import { caseState } from '../../../src/playground/presets.ts';
import { decodeFragment, encodeState, linkCarriesSecret, shareLink, shareNote } from '../../../src/playground/share-link.ts';
import { SIGN_ALGS, type State, initialState } from '../../../src/playground/state.ts';

const NOW = 1_767_225_600;
const REAL_SECRET = 'prod-Q2hhbmdlIG1lIGluIHByb2R1Y3Rpb24hISE=';

function decodedState(fragment: string): State {
  const decoded = decodeFragment(fragment);
  if (decoded.kind !== 'state') throw new Error(`not a state: ${decoded.kind}`);
  return decoded.state;
}

/** What a link is expected to restore: everything but the case name, the builder's memory and who fixed the clock. */
const shared = (state: State): State => ({
  ...state,
  // The key set travels in the key-set profiles only; a generated key pair never travels.
  ...(state.profile === 'hs256' ? { keySet: '', keySetUnavailable: false, algorithm: initialState().algorithm } : {}),
  builder: { ...state.builder, kid: '' },
  caseName: null,
  built: null,
  secretOmitted: false,
  answer: '',
  clock: state.clock.live ? state.clock : { live: false, at: state.clock.at },
});

const stateArbitrary = fc.record({
  input: fc.string({ unit: 'grapheme', maxLength: 300 }),
  profile: fc.constantFrom(...PROFILES),
  keySet: fc.oneof(fc.string({ maxLength: 200 }), fc.constant(JSON.stringify(TEST_JWKS, null, 2))),
  keySetUnavailable: fc.boolean(),
  algorithm: fc.oneof(fc.constantFrom(...KEY_SET_ALGORITHMS), fc.string({ maxLength: 20 })),
  secret: fc.constantFrom(TEST_SECRET, OTHER_TEST_SECRET, ''),
  secretOmitted: fc.constant(false),
  sender: fc.constant(null),
  answer: fc.constant(''),
  clock: fc.oneof(
    fc.constant({ live: true as const }),
    fc.record({ live: fc.constant(false as const), at: fc.double({ noNaN: true, noDefaultInfinity: true }).map((at) => at + 0) }),
  ),
  leeway: fc.oneof(fc.nat(), fc.double({ min: 0, max: 1e6, noNaN: true }).map((value) => value + 0)),
  pathUserId: fc.string(),
  requiredRole: fc.string(),
  issuer: fc.string(),
  audience: fc.string(),
  url: fc.string(),
  builder: fc.record({
    claims: fc.string({ unit: 'binary', maxLength: 200 }),
    alg: fc.constantFrom(...SIGN_ALGS),
    signingSecret: fc.constantFrom(TEST_SECRET, OTHER_TEST_SECRET),
    kid: fc.oneof(fc.constant(''), fc.string({ minLength: 1, maxLength: 43 })),
  }),
  caseName: fc.constant(null),
  built: fc.constant(null),
});

describe('share link round trip', () => {
  it('restores the whole state of a case', async () => {
    for (const name of ['valid', 'wrong-secret', 'two-authorization-headers', 'no-secret', 'tab-after-bearer', 'long-garbage', 'valid-unicode-claims']) {
      const state = await caseState(scenarioByName(name)!, initialState(), NOW);
      expect(decodedState(encodeState(state)), name).toEqual(shared(state));
    }
  });

  it('restores any state whose secrets are built-in test secrets (property)', () => {
    fc.assert(
      fc.property(stateArbitrary, (state) => {
        const restored = decodedState(`#${encodeState(state)}`);
        expect(restored).toEqual(shared(state));
      }),
      { numRuns: 300 },
    );
  });

  it('builds a link on the playground page, replacing any fragment it had', () => {
    const state = initialState();
    const link = shareLink(state, 'https://docs.example/base/playground/#old');
    expect(link.startsWith('https://docs.example/base/playground/#v=1&')).toBe(true);
    expect(decodedState(new URL(link).hash)).toEqual(shared(state));
  });
});

describe('secrets in links', () => {
  it('never writes a secret that is not a built-in test secret, and says it was left out', () => {
    const state: State = { ...initialState(), input: 'a.b.c', secret: REAL_SECRET, builder: { claims: '{}', alg: 'HS256', signingSecret: `${REAL_SECRET}-signing`, kid: '' } };
    const fragment = encodeState(state);
    for (const form of [REAL_SECRET, encodeURIComponent(REAL_SECRET), new URLSearchParams({ s: REAL_SECRET }).toString().slice(2), 'prod-Q2hh']) {
      expect(fragment).not.toContain(form);
    }
    const restored = decodedState(fragment);
    expect(restored.secret).toBe('');
    expect(restored.secretOmitted).toBe(true);
    expect(restored.builder.signingSecret).toBe('');
    expect(linkCarriesSecret(REAL_SECRET)).toBe(false);
  });

  it('names the built-in test secrets instead of writing them', () => {
    const fragment = encodeState({ ...initialState(), secret: TEST_SECRET });
    expect(fragment).not.toContain('NOT-FOR-PRODUCTION');
    expect(new URLSearchParams(fragment).get('secret')).toBe('test');
    expect(linkCarriesSecret(TEST_SECRET)).toBe(true);
    expect(linkCarriesSecret('')).toBe(true);
  });

  it('never writes any other secret (property)', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 12, maxLength: 80 }), fc.string({ minLength: 12, maxLength: 80 }), (secret, signing) => {
        fc.pre(![TEST_SECRET, OTHER_TEST_SECRET, ''].includes(secret) && ![TEST_SECRET, OTHER_TEST_SECRET].includes(signing));
        const fragment = encodeState({ ...initialState(), input: 'x', secret, builder: { claims: '{}', alg: 'HS256', signingSecret: signing, kid: '' } });
        const values = [...new URLSearchParams(fragment).values()];
        expect(values).not.toContain(secret);
        expect(values).not.toContain(signing);
      }),
      { numRuns: 300 },
    );
  });

  it('a link opened without its secret, shared on before the secret is typed, still asks for it', () => {
    const first = decodedState(encodeState({ ...initialState(), input: 'a.b.c', secret: REAL_SECRET }, { status: 401, code: 'bad_signature' }));
    expect(first).toMatchObject({ secret: '', secretOmitted: true, sender: { status: 401, code: 'bad_signature' } });
    const fragment = encodeState(first);
    expect(new URLSearchParams(fragment).get('secret')).toBeNull();
    expect(decodedState(fragment)).toMatchObject({ secret: '', secretOmitted: true, sender: { status: 401, code: 'bad_signature' } });
    expect(shareNote(first)).toContain('leaves the backend secret out');
    expect(shareNote(first)).not.toContain('has no secret');
    expect(shareNote({ ...first, secretOmitted: false })).toContain('has no secret');
  });

  it('ignores a secret written into a hand-made link', () => {
    const restored = decodedState(`v=1&token=a.b.c&secret=${encodeURIComponent(REAL_SECRET)}&signing=${encodeURIComponent(REAL_SECRET)}`);
    expect(restored.secret).toBe('');
    expect(restored.secretOmitted).toBe(true);
    expect(restored.builder.signingSecret).toBe('');
  });
});

describe('fragments that are not states', () => {
  it('reads #case=<name> for every scenario', () => {
    for (const scenario of SCENARIOS) expect(decodeFragment(`#case=${scenario.name}`)).toEqual({ kind: 'case', name: scenario.name });
    expect(decodeFragment('#case=no-such-case')).toEqual({ kind: 'case', name: 'no-such-case' });
  });

  it('leaves heading anchors and empty fragments alone', () => {
    for (const fragment of ['', '#', '#without-javascript', '#_top', 'x', '#%', '#=&=']) expect(decodeFragment(fragment)).toEqual({ kind: 'none' });
    expect(decodeFragment(undefined)).toEqual({ kind: 'none' });
    expect(decodeFragment(42)).toEqual({ kind: 'none' });
  });

  it('turns hostile values into defaults with a note, never into a crash', () => {
    const decoded = decodeFragment('#v=9&token=x&now=1e999&leeway=-5&alg=RS999&secret=__proto__&signing=constructor&profile=jwks2');
    expect(decoded.kind).toBe('state');
    if (decoded.kind !== 'state') return;
    expect(decoded.state.clock).toEqual({ live: true });
    expect(decoded.state.leeway).toBe(30);
    expect(decoded.state.builder.alg).toBe('HS256');
    expect(decoded.state.profile).toBe('hs256');
    expect(decoded.notes.join(' ')).toContain('profile "jwks2" is not one of hs256, jwks, both');
    expect(decoded.state.secret).toBe('');
    expect(decoded.state.builder.signingSecret).toBe('');
    expect(decoded.notes.length).toBe(4);
    const huge = decodeFragment(`#v=1&token=${'a'.repeat(200_001)}`);
    expect(huge.kind === 'state' && huge.state.input).toBe('');
  });

  it('never throws and always yields a usable state (property)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.webFragments(), fc.webQueryParameters()), (fragment) => {
        const decoded = decodeFragment(fragment);
        expect(['none', 'case', 'state']).toContain(decoded.kind);
        if (decoded.kind === 'state') {
          const { state } = decoded;
          expect(typeof state.input).toBe('string');
          expect(Number.isFinite(state.leeway) && state.leeway >= 0).toBe(true);
          if (!state.clock.live) expect(Number.isFinite(state.clock.at)).toBe(true);
          expect(SIGN_ALGS).toContain(state.builder.alg);
          expect([TEST_SECRET, OTHER_TEST_SECRET, '']).toContain(state.secret);
        }
      }),
      { numRuns: 1000 },
    );
  });
});

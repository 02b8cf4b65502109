// The playground's state module, cases and builder: pure functions run against the real verdict engine.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { extractAuthorization } from '../../../src/contract/verifier/authorization.ts';
import { DEFAULT_LEEWAY } from '../../../src/contract/data/contract.ts';
import { decodeToken } from '../../../src/contract/codec/decode.ts';
import { SCENARIOS, scenarioByName } from '../../../src/contract/scenarios/index.ts';
import { OTHER_TEST_SECRET, TEST_SECRET } from '../../../src/contract/data/fixtures.ts';
import { TEST_JWKS } from '../../../src/contract/data/test-key-set.ts';
import { evaluate, failedCheck } from '../../../src/contract/verifier/verify.ts';
import {
  builderFromToken,
  claimFields,
  compactJson,
  fieldValue,
  issueNow,
  parseClaims,
  setClaim,
  signBuilder,
} from '../../../src/playground/builder.ts';
import { PLAYGROUND_CASES, PRESETS, authorizationText, caseState, knownSigningSecret, scenarioByName as playgroundCase } from '../../../src/playground/presets.ts';
import { type State, clockNow, createStore, defaultUrl, initialState, reduce, requestUrl, verdictRequest } from '../../../src/playground/state.ts';
import { localDate, parseUtcInput, relativePhrase, timeClaimRows, utcInput } from '../../../src/playground/time-claims.ts';
import { intentOf } from '../../../src/playground/intents.ts';

const NOW = 1_767_225_600; // 2026-01-01T00:00:00Z

async function verdictOf(state: State) {
  const evaluation = await evaluate(verdictRequest(state, clockNow(state, NOW)));
  return { status: evaluation.verdict.status, code: evaluation.verdict.code, check: failedCheck(evaluation.verdict)?.check ?? null };
}

const validState = () => caseState(scenarioByName('valid')!, initialState(), NOW);

describe('state transitions', () => {
  it('changing the backend secret changes the verdict, never the token', async () => {
    const state = await validState();
    const changed = reduce(state, { type: 'secret', value: 'another-backend-secret-of-at-least-32-bytes!' });
    expect(changed.input).toBe(state.input);
    expect(changed.builder).toEqual(state.builder);
    expect((await verdictOf(state)).code).toBeNull();
    expect(await verdictOf(changed)).toEqual({ status: 401, code: 'bad_signature', check: 'signature' });
  });

  it('no configuration change rewrites the pasted text', async () => {
    let state = reduce(await validState(), { type: 'input', text: '  curl -H "Authorization: Bearer abc.def.ghi" x  ', pasted: true });
    const pasted = state.input;
    const actions = [
      { type: 'secret', value: '' },
      { type: 'leeway', value: 0 },
      { type: 'clock-fixed', at: 1 },
      { type: 'clock-live' },
      { type: 'field', field: 'issuer', value: 'https://issuer.example' },
      { type: 'field', field: 'audience', value: '' },
      { type: 'field', field: 'pathUserId', value: 'user_9' },
      { type: 'field', field: 'requiredRole', value: 'admin' },
      { type: 'field', field: 'url', value: 'https://api.example/me' },
      { type: 'builder', builder: { ...state.builder, signingSecret: 'x' } },
    ] as const;
    for (const action of actions) {
      state = reduce(state, action);
      expect(state.input, action.type).toBe(pasted);
    }
  });

  it('only the builder replaces the request, and it remembers what it built', async () => {
    const state = await validState();
    const next = reduce(state, { type: 'built', builder: state.builder, token: 'a.b.c' });
    expect(next.input).toBe('a.b.c');
    expect(next.built).toBe('a.b.c');
    expect(next.caseName).toBeNull();
  });

  it('a case fixes the clock; pasting a token of one\'s own goes back to the live clock, typing does not', async () => {
    const state = await caseState(scenarioByName('expired')!, initialState(), NOW);
    expect(state.clock).toEqual({ live: false, at: NOW, byCase: true });
    expect(reduce(state, { type: 'input', text: 'x', pasted: false }).clock).toEqual(state.clock);
    expect(reduce(state, { type: 'input', text: 'x', pasted: true }).clock).toEqual({ live: true });
    const fixedByReader = reduce(state, { type: 'clock-fixed', at: 42 });
    expect(reduce(fixedByReader, { type: 'input', text: 'y', pasted: true }).clock).toEqual({ live: false, at: 42 });
  });

  it('rejects a leeway or clock that is not a number, keeping the state', () => {
    const state = initialState();
    expect(reduce(state, { type: 'leeway', value: -1 })).toBe(state);
    expect(reduce(state, { type: 'leeway', value: Number.NaN })).toBe(state);
    expect(reduce(state, { type: 'clock-fixed', at: Number.POSITIVE_INFINITY })).toBe(state);
    expect(reduce(state, { type: 'leeway', value: 5 }).leeway).toBe(5);
  });

  it('editing anything but the curl URL leaves the case', async () => {
    const state = await validState();
    expect(state.caseName).toBe('valid');
    expect(reduce(state, { type: 'field', field: 'url', value: 'https://x.example' }).caseName).toBe('valid');
    expect(reduce(state, { type: 'secret', value: 'x' }).caseName).toBeNull();
  });

  it('the live clock reads the real time, a fixed one its moment', () => {
    expect(clockNow({ clock: { live: true } }, 123)).toBe(123);
    expect(clockNow({ clock: { live: false, at: 7 } }, 123)).toBe(7);
  });

  it('builds the verdict request from the state, leaving out what is not configured', () => {
    const state: State = { ...initialState(), input: 'Authorization: Bearer a\nAuthorization: Bearer b', issuer: '', pathUserId: 'u1', leeway: 0, secret: '' };
    expect(verdictRequest(state, 5)).toEqual({
      authorization: ['Bearer a', 'Bearer b'],
      secret: '',
      now: 5,
      leeway: 0,
      audience: state.audience,
      pathUserId: 'u1',
    });
  });

  it('the curl URL follows the route until the reader types one', () => {
    const state = initialState();
    expect(requestUrl(state)).toBe('http://localhost:8000/api/me');
    expect(requestUrl({ ...state, pathUserId: 'user 1' })).toBe('http://localhost:8000/api/users/user%201/tasks');
    expect(requestUrl({ ...state, requiredRole: 'admin' })).toBe('http://localhost:8000/api/admin/stats');
    expect(requestUrl({ ...state, requiredRole: 'admin', url: ' https://api.example/x ' })).toBe('https://api.example/x');
    expect(defaultUrl({ pathUserId: '', requiredRole: '' })).toBe('http://localhost:8000/api/me');
  });

  it('the store notifies subscribers of changes only', () => {
    const store = createStore(initialState());
    const seen: number[] = [];
    store.subscribe((state) => seen.push(state.leeway));
    store.dispatch({ type: 'leeway', value: 10 });
    store.dispatch({ type: 'leeway', value: -3 });
    expect(seen).toEqual([10]);
    expect(store.get().leeway).toBe(10);
  });
});

describe('cases', () => {
  it('offers the scenarios marked as presets, in contract order', () => {
    expect(PRESETS.map((preset) => preset.name)).toEqual(PLAYGROUND_CASES.filter((scenario) => scenario.preset).map((s) => s.name));
    expect(PRESETS.length).toBe(20);
  });

  it('runs the cases of every profile, the key-set ones with the test key set pasted as the backend\'s', async () => {
    expect(PLAYGROUND_CASES).toEqual(SCENARIOS);
    for (const profile of ['jwks', 'both'] as const) expect(PLAYGROUND_CASES.some((scenario) => scenario.profile === profile)).toBe(true);
    const state = await caseState(playgroundCase('jwks-valid')!, initialState(), NOW);
    expect(state).toMatchObject({ profile: 'jwks', algorithm: 'EdDSA', keySetUnavailable: false });
    expect(JSON.parse(state.keySet)).toEqual(TEST_JWKS);
    expect(state.builder).toMatchObject({ alg: 'EdDSA', kid: '' });
    const unavailable = await caseState(playgroundCase('jwks-keys-unavailable')!, initialState(), NOW);
    expect(unavailable).toMatchObject({ keySetUnavailable: true, keySet: '' });
  });

  // Every scenario of every profile, through the state and the text of the request field, gives its expected answer.
  for (const scenario of PLAYGROUND_CASES) {
    it(`${scenario.name} opens with ${scenario.expected.status} ${scenario.expected.code ?? ''}`, async () => {
      const state = await caseState(scenario, initialState(), NOW);
      expect(state.caseName).toBe(scenario.name);
      expect(await verdictOf(state)).toEqual({ ...scenario.expected, check: scenario.check });
    });
  }

  it('writes the request as a bare token, a header value or header lines, whichever reads back the same', () => {
    expect(authorizationText(null)).toBe('');
    expect(authorizationText([])).toBe('');
    expect(authorizationText('Bearer a.b.c')).toBe('a.b.c');
    expect(authorizationText('Basic dXNlcg==')).toBe('Basic dXNlcg==');
    expect(authorizationText('a.b.c')).toBe('Authorization: a.b.c');
    expect(authorizationText('Bearer\ta.b.c')).toBe('Authorization: Bearer\ta.b.c');
    expect(authorizationText(['Bearer a', ''])).toBe('Authorization: Bearer a\nAuthorization: ');
    expect(extractAuthorization(authorizationText(['Bearer a', ''])).authorization).toEqual(['Bearer a', '']);
    expect(extractAuthorization(authorizationText('')).authorization).toBe('');
  });

  it('knows which built-in test secret signed a case token, so the builder signs alike', async () => {
    const wrong = await caseState(scenarioByName('wrong-secret')!, initialState(), NOW);
    expect(wrong.builder.signingSecret).toBe(OTHER_TEST_SECRET);
    expect(wrong.secret).toBe(TEST_SECRET);
    const token = wrong.input;
    expect(await knownSigningSecret(token)).toBe(OTHER_TEST_SECRET);
    expect(await knownSigningSecret('not.a.token')).toBeUndefined();
  });

  it('loads the builder with the case claims, or valid claims when the payload is unreadable', async () => {
    const expired = await caseState(scenarioByName('expired')!, initialState(), NOW);
    expect(parseClaims(expired.builder.claims)).toMatchObject({ exp: NOW - 3600, sub: 'user_123' });
    const none = await caseState(scenarioByName('no-authorization-header')!, initialState(), NOW);
    expect(parseClaims(none.builder.claims)).toMatchObject({ iat: NOW, exp: NOW + 900 });
    const hs512 = await caseState(scenarioByName('alg-hs512')!, initialState(), NOW);
    expect(hs512.builder.alg).toBe('HS512');
  });
});

describe('the builder', () => {
  it('keeps literals JSON.parse would change and strips only whitespace outside strings', () => {
    expect(compactJson('{ "exp" : 1e400,\n "name": "a b" }')).toBe('{"exp":1e400,"name":"a b"}');
    expect(compactJson('{"s":"q\\" x"}')).toBe('{"s":"q\\" x"}');
  });

  it('edits claims through the form: empty removes, numbers for times, arrays for aud', () => {
    const text = '{"sub":"u","iat":1}';
    expect(parseClaims(setClaim(text, 'exp', '900')!)).toEqual({ sub: 'u', iat: 1, exp: 900 });
    expect(parseClaims(setClaim(text, 'sub', '')!)).toEqual({ iat: 1 });
    expect(parseClaims(setClaim(text, 'iat', 'yesterday')!)).toEqual({ sub: 'u', iat: 'yesterday' });
    expect(fieldValue('aud', '["a","b"]')).toEqual(['a', 'b']);
    expect(fieldValue('aud', '[not json')).toBe('[not json');
    expect(fieldValue('exp', '1767225600.5')).toBe(1767225600.5);
    expect(setClaim('[1]', 'sub', 'x')).toBeNull();
    expect(claimFields('{"sub":42,"aud":["a"]}')).toMatchObject({ sub: '42', aud: '["a"]', email: '' });
    expect(claimFields('nope')).toBeNull();
    expect(parseClaims(issueNow('{}', 100.7)!)).toEqual({ iat: 100, exp: 1000 });
  });

  it('signs with the signing secret: the backend accepts it only when both secrets are equal', async () => {
    const state = await validState();
    const signed = await signBuilder({ ...state.builder, signingSecret: TEST_SECRET });
    expect(signed.ok).toBe(true);
    const built = reduce(state, { type: 'built', builder: state.builder, token: signed.ok ? signed.token : '' });
    expect((await verdictOf(built)).status).toBe(200);
    const other = await signBuilder({ ...state.builder, signingSecret: OTHER_TEST_SECRET });
    const mismatched = reduce(state, { type: 'built', builder: state.builder, token: other.ok ? other.token : '' });
    expect((await verdictOf(mismatched)).code).toBe('bad_signature');
  });

  it('signs broken payloads exactly as typed, alg none without a signature, and refuses an empty secret', async () => {
    const broken = await signBuilder({ claims: '{"sub": ', alg: 'HS256', signingSecret: TEST_SECRET, kid: '' });
    expect(broken.ok && decodeToken(broken.token).segments[1]!.decodedText).toBe('{"sub":');
    const none = await signBuilder({ claims: '{}', alg: 'none', signingSecret: '', kid: '' });
    expect(none.ok && none.token.endsWith('.')).toBe(true);
    expect(await signBuilder({ claims: '{}', alg: 'HS256', signingSecret: '', kid: '' })).toEqual({ ok: false, message: expect.stringContaining('signing secret') });
  });

  it('loads a token: pretty JSON when nothing is lost, the raw text otherwise', async () => {
    const lossy = await signBuilder({ claims: '{"exp":1e400}', alg: 'HS384', signingSecret: TEST_SECRET, kid: '' });
    const builder = builderFromToken(decodeToken(lossy.ok ? lossy.token : ''), initialState().builder);
    expect(builder).toEqual({ claims: '{"exp":1e400}', alg: 'HS384', signingSecret: TEST_SECRET, kid: '' });
    const clean = await signBuilder({ claims: '{"a":1}', alg: 'HS256', signingSecret: TEST_SECRET, kid: '' });
    expect(builderFromToken(decodeToken(clean.ok ? clean.token : ''), initialState().builder).claims).toBe('{\n  "a": 1\n}');
  });
});

describe('readable times', () => {
  it('says how far each time claim is from the clock', () => {
    expect(relativePhrase('exp', NOW + 720, NOW)).toBe('expires in 12 min');
    expect(relativePhrase('exp', NOW - 3 * 3600, NOW)).toBe('expired 3 h ago');
    expect(relativePhrase('iat', NOW - 60, NOW)).toBe('issued 1 min ago');
    expect(relativePhrase('iat', NOW + 300, NOW)).toBe('issued 5 min in the future');
    expect(relativePhrase('nbf', NOW + 600, NOW)).toBe('not valid for another 10 min');
    expect(relativePhrase('nbf', NOW, NOW)).toBe('valid since now');
  });

  it('shows every time claim in the reader\'s zone and in UTC, and flags the ones that are not numbers', () => {
    const rows = timeClaimRows({ iat: NOW, exp: NOW + 900, nbf: 'soon' }, NOW);
    expect(rows.map((row) => row.name)).toEqual(['iat', 'nbf', 'exp']);
    expect(rows[0]).toMatchObject({ numeric: true, utc: '2026-01-01T00:00:00Z', relative: 'issued now' });
    expect(rows[0]!.local).toBe(localDate(NOW));
    expect(rows[1]).toMatchObject({ numeric: false, raw: '"soon"' });
    expect(rows[2]!.relative).toBe('expires in 15 min');
    expect(timeClaimRows({ exp: 1e300 }, NOW)[0]!.local).toBe('not a representable date');
    expect(timeClaimRows(undefined, NOW)).toEqual([]);
  });

  it('writes a date in the reader\'s zone with its offset from UTC, whatever the zone', () => {
    const zone = process.env.TZ;
    try {
      process.env.TZ = 'America/New_York';
      expect(localDate(NOW)).toBe('2025-12-31 19:00:00 (UTC-05:00)');
      expect(localDate(NOW + 0.25)).toBe('2025-12-31 19:00:00.250 (UTC-05:00)');
      process.env.TZ = 'Asia/Kolkata';
      expect(localDate(NOW)).toBe('2026-01-01 05:30:00 (UTC+05:30)');
      process.env.TZ = 'UTC';
      expect(localDate(NOW)).toBe('2026-01-01 00:00:00 (UTC+00:00)');
      expect(localDate(8.64e12)).toBe('+275760-09-13 00:00:00 (UTC+00:00)');
      expect(localDate(-62198755200)).toBe('-000001-01-01 00:00:00 (UTC+00:00)');
      expect(localDate(1e300)).toBeNull();
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });

  it('the clock\'s date field: ISO 8601 in UTC, read back to the second, with a Z, an offset or no zone', () => {
    expect(utcInput(NOW)).toBe('2026-01-01T00:00:00Z');
    expect(utcInput(NOW + 0.9)).toBe('2026-01-01T00:00:00Z');
    expect(utcInput(1e300)).toBe('');
    expect(utcInput(-62198755200)).toBe(''); // year -1
    fc.assert(fc.property(fc.integer({ min: -62167219200, max: 253402300799 }), (seconds) => parseUtcInput(utcInput(seconds)) === seconds));
    expect(parseUtcInput('2026-01-01T00:00:00Z')).toBe(NOW);
    expect(parseUtcInput(' 2026-01-01 00:00 ')).toBe(NOW);
    expect(parseUtcInput('2026-01-01T01:00:00+01:00')).toBe(NOW);
    expect(parseUtcInput('2025-12-31T19:00:00-0500')).toBe(NOW);
    expect(parseUtcInput('2026-01-01T00:00:00.250z')).toBe(NOW + 0.25);
    expect(parseUtcInput('0001-01-01T00:00:00Z')).toBe(-62135596800);
    expect(parseUtcInput('0000-02-29T00:00:00Z')).toBe(-62162121600); // a leap day in a year Date.UTC would read as 1900, not a leap year
    for (const wrong of ['', 'tomorrow', '2026-02-30T00:00:00Z', '2026-13-01T00:00Z', '2026-01-01T24:00:00Z', '2026-01-01T00:60Z', '2026-01-01T00:00:00+24:00', '1767225600', '2026-01-01']) {
      expect(parseUtcInput(wrong), wrong).toBeNull();
    }
  });

  it('a date typed in the clock field fixes the clock; a wrong one is marked invalid and changes nothing', () => {
    expect(intentOf('clock-date', undefined, '2026-01-01T00:15:00Z', initialState())).toEqual({ kind: 'action', action: { type: 'clock-fixed', at: NOW + 900 }, valid: true });
    expect(intentOf('clock-date', undefined, '2026-01-01T00:15', initialState())).toMatchObject({ kind: 'action', action: { at: NOW + 900 } });
    expect(intentOf('clock-date', undefined, '01/01/2026', initialState())).toEqual({ kind: 'none', valid: false });
  });

  it('uses the default leeway in a fresh state', () => {
    expect(initialState().leeway).toBe(DEFAULT_LEEWAY);
  });
});

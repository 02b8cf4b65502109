// The playground's views as plain data: verdict, hints, segment lines, texts, the diagnosis and the comparison.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { contractClaims, signClaims } from '../../../src/contract/codec/sign.ts';
import { encodeBase64urlText } from '../../../src/contract/codec/base64url.ts';
import { decodeToken } from '../../../src/contract/codec/decode.ts';
import { EXAMPLE_AUDIENCE, EXAMPLE_ISSUER, TEST_SECRET } from '../../../src/contract/data/fixtures.ts';
import { extractAuthorization } from '../../../src/contract/verifier/authorization.ts';
import { evaluate } from '../../../src/contract/verifier/verify.ts';
import { freshState } from '../../../src/playground/builder.ts';
import { comparisonView, diagnosisMarkdown } from '../../../src/playground/report.ts';
import { decodeFragment, encodeState, shareNote } from '../../../src/playground/share-link.ts';
import { initialState, reduce } from '../../../src/playground/state.ts';
import { clip, groupDigits, hintViews, readAsText, secretWarning, segmentMark, segmentStatus, verdictView } from '../../../src/playground/view-model.ts';

const NOW = 1_767_225_600;
const claims = () => contractClaims({ now: NOW, issuer: EXAMPLE_ISSUER, audience: EXAMPLE_AUDIENCE });
const request = (authorization: string | null, secret = TEST_SECRET) => ({ authorization, secret, now: NOW, issuer: EXAMPLE_ISSUER, audience: EXAMPLE_AUDIENCE });

describe('verdictView', () => {
  it('a rejection: status, code, check, reason, action, one line and a sentence', async () => {
    const evaluation = await evaluate(request(`Bearer ${await signClaims({ ...claims(), exp: NOW - 3600 }, TEST_SECRET)}`));
    const view = verdictView(evaluation, initialState());
    expect(view).toMatchObject({ tone: 'fail', status: '401', code: 'token_expired', checkId: 'expiry' });
    expect(view.line).toBe(`401 token_expired · ${view.check}`);
    expect(view.sentence).toContain('Verdict: 401 Unauthorized, token_expired.');
    expect(view.actionLabel).not.toBe('');
  });

  it('a link without its secret: what the sender saw, never a confident 500', async () => {
    const evaluation = await evaluate(request('Bearer a.b.c', ''));
    const state = { ...initialState(), secret: '', secretOmitted: true, sender: { status: 401, code: 'bad_signature' } };
    const view = verdictView(evaluation, state);
    expect(view.tone).toBe('pending');
    expect(view.outcome).toBe('Secret needed to reproduce: the sender saw 401 bad_signature.');
    expect(view.status).toBe('—');
    // The narrow screen's one line keeps what the sender saw near its start.
    expect(view.line).toBe('Secret needed · the sender saw 401 bad_signature');
    expect(JSON.stringify(view)).not.toContain('server_misconfigured');
    expect(secretWarning(state)).toContain('The sender saw 401 bad_signature.');
    // Once the reader types a secret, the page gives its own verdict again.
    const typed = reduce(state, { type: 'secret', value: TEST_SECRET });
    expect(verdictView(evaluation, typed).tone).toBe('fail');
  });
});

describe('share links carry what the sender saw, never the secret', () => {
  it('round trip of seen', () => {
    const state = { ...initialState(), input: 'a.b.c', secret: 'my-own-secret-that-stays-home-0123456789' };
    const fragment = encodeState(state, { status: 401, code: 'bad_signature' });
    expect(fragment).toContain('seen=401+bad_signature');
    expect(fragment).not.toContain('my-own-secret');
    const decoded = decodeFragment(fragment);
    expect(decoded.kind === 'state' && decoded.state.sender).toEqual({ status: 401, code: 'bad_signature' });
    // A link that carries the test secret needs no seen: the receiver sees the same verdict.
    expect(encodeState(initialState(), { status: 200, code: null })).not.toContain('seen=');
  });

  it('ignores a forged seen', () => {
    const decoded = decodeFragment('#v=1&token=x&seen=<script>');
    expect(decoded.kind === 'state' && decoded.state.sender).toBeNull();
  });
});

describe('texts', () => {
  it('read-as names a request without Authorization and a cookie', () => {
    expect(readAsText(extractAuthorization('GET / HTTP/1.1\nCookie: a=b'))).toBe(
      'Read as a request (header lines) with no Authorization header. It also sends a Cookie header, which the API does not read.',
    );
    expect(readAsText(extractAuthorization('Authorization: Bearer a\nAuthorization: Bearer b'))).toContain('2 Authorization headers.');
  });

  it('share note says the receiver sees the status and code until they type the secret', () => {
    expect(shareNote({ ...initialState(), secret: 'mine-0123456789-0123456789-0123456789' }, () => false)).toContain('sees the status and code you see');
  });

  it('clip keeps huge texts small', () => {
    const text = clip('x'.repeat(1_000_000), 2000);
    expect(text.length).toBeLessThan(2100);
    expect(text).toContain('998,000 more characters not shown');
  });

  it('groupDigits writes counts as English does (what toLocaleString(\'en\') writes, without its start-up cost)', () => {
    fc.assert(fc.property(fc.nat({ max: Number.MAX_SAFE_INTEGER }), (count) => groupDigits(count) === count.toLocaleString('en')));
    expect([0, 999, 1000, 1_048_576].map(groupDigits)).toEqual(['0', '999', '1,000', '1,048,576']);
  });
});

describe('segment lines', () => {
  it('abc123.def456 is not read segment by segment (no "stray bits")', async () => {
    const decoded = decodeToken('abc123.def456');
    const lines = decoded.segments.map((segment) => segmentStatus(segment, null, decoded.segments.length, decoded.header !== undefined));
    expect(lines.join(' ')).not.toContain('stray bits');
    expect(lines[0]).toContain('not a JWT (2 segments, no JSON header)');
  });

  it('the signature line says what was checked', async () => {
    const token = await signClaims(claims(), TEST_SECRET);
    const evaluation = await evaluate(request(`Bearer ${token}`));
    const signature = evaluation.decoded!.segments[2]!;
    expect(segmentStatus(signature, evaluation, 3, true)).toContain('32 bytes, the length of an HMAC-SHA256. Checked with HMAC-SHA256 and the backend secret: it matches.');
  });

  it('marks the signature by what its check found: ✓ matches, ✗ does not, · never checked', async () => {
    const token = await signClaims(claims(), TEST_SECRET);
    const mark = async (header: string, secret: string) => {
      const evaluation = await evaluate(request(header, secret));
      return segmentMark(evaluation.decoded!.segments[2]!, evaluation, 3, true);
    };
    expect(await mark(`Bearer ${token}`, TEST_SECRET)).toEqual({ ok: 'true', icon: '✓' });
    expect(await mark(`Bearer ${token}`, `${TEST_SECRET}-not-it`)).toEqual({ ok: 'false', icon: '✗' });
    const rs256 = `${encodeBase64urlText('{"alg":"RS256","typ":"JWT"}')}.${token.split('.')[1]}.${token.split('.')[2]}`;
    expect(await mark(`Bearer ${rs256}`, TEST_SECRET)).toEqual({ ok: 'unchecked', icon: '·' });
  });
});

describe('the opening state', () => {
  it('is a valid token on the live clock, built without the case list', async () => {
    const state = await freshState(initialState(), NOW);
    expect(state.clock).toEqual({ live: true });
    expect((await evaluate(request(`Bearer ${state.input}`))).verdict.status).toBe(200);
    expect(JSON.parse(state.builder.claims)).toEqual(claims());
  });
});

describe('diagnosis and comparison', () => {
  it('Copy diagnosis: Markdown with verdict, check, hints and claims, never the secret', async () => {
    const token = await signClaims({ ...claims(), exp: NOW * 1000 }, TEST_SECRET);
    const evaluation = await evaluate(request(`Bearer ${token}`));
    const view = verdictView(evaluation, initialState());
    const hints = hintViews(evaluation, [{ id: 'milliseconds', text: 'exp is in milliseconds' }], []);
    const markdown = diagnosisMarkdown(view, hints, evaluation.decoded, NOW);
    expect(markdown).toContain('**Verdict:** 200 OK');
    expect(markdown).toContain('- exp is in milliseconds');
    expect(markdown).toContain('"sub": "user_123"');
    expect(markdown).not.toContain(TEST_SECRET);
    expect(markdown).not.toContain(token.split('.')[2]!);
  });

  it('comparison lines', () => {
    const verdict = { status: 401 as const, code: 'missing_token' as const, wwwAuthenticate: 'Bearer realm="api"' };
    expect(comparisonView('', verdict, false)[0]![1]).toBe('Nothing pasted yet.');
    expect(comparisonView('HTTP/1.1 401', verdict, true)[0]![1]).toContain('Type the backend secret first');
    const lines = comparisonView('HTTP/1.1 403 Forbidden\n\n{"detail":"Not authenticated"}', verdict, false).map((line) => line[1]);
    expect(lines[0]).toBe("✗ 2 differences from the contract's answer (401 missing_token):"); // no headers pasted: the challenge is not compared
    expect(lines[1]).toContain('status: expected 401, got 403');
    // Nothing comparable: no claim that it matches.
    const success = { status: 200 as const, code: null, wwwAuthenticate: null };
    const junk = comparisonView('<html>502 Bad Gateway</html>', success, false);
    expect(junk[0]![1]).toContain('Nothing in the pasted text could be compared');
    expect(junk.map((line) => line[1]).join(' ')).not.toContain('Matches');
    expect(comparisonView('HTTP/1.1 200 OK\n\n{"id":1}', success, false)[0]![1]).toBe("✓ Matches the contract's answer (200) in every field compared.");
  });
});

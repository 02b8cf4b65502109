/** compare.ts: what an answer says, the differences in words, and their severity. */
import { describe, expect, it } from 'vitest';
import { outcomeFor } from '../../../../src/contract/data/contract.ts';
import { type Answer, answerOf, compare, describeAnswer, expectedOf, severityOf, snippet } from '../../../../src/cli/conformance/compare.ts';
import type { HttpAnswer } from '../../../../src/cli/conformance/http.ts';

function reply(status: number, challenge: string | null, body: string, headers: Record<string, string> = {}): HttpAnswer {
  return { status, headers, distinct: challenge === null ? {} : { 'www-authenticate': [challenge] }, body, truncated: false };
}

const expired = outcomeFor('token_expired');
const expected = expectedOf({ status: expired.status, code: expired.code, wwwAuthenticate: expired.wwwAuthenticate });
const right = reply(401, 'Bearer realm="api", error="invalid_token"', JSON.stringify({ detail: 'The token has expired.', code: 'token_expired' }));

describe('compare', () => {
  it('agrees with the contract answer', () => {
    expect(compare(expected, answerOf(right))).toEqual({ differences: [], severity: null });
  });

  it('grades by status: security, availability, wrong status, format', () => {
    expect(severityOf(401, 200)).toBe('security');
    expect(severityOf(400, 204)).toBe('security');
    expect(severityOf(200, 401)).toBe('availability');
    expect(severityOf(200, 403)).toBe('availability');
    expect(severityOf(401, 400)).toBe('status');
    expect(severityOf(401, 500)).toBe('status');
    expect(severityOf(401, 401)).toBe('format');
  });

  it('checks realm="api" in the challenge', () => {
    const other = answerOf(reply(401, 'Bearer realm="backend", error="invalid_token"', right.body));
    expect(compare(expected, other)).toEqual({ differences: ['WWW-Authenticate realm="backend" instead of "api"'], severity: 'format' });
    const none = answerOf(reply(401, 'Bearer error="invalid_token"', right.body));
    expect(compare(expected, none).differences).toEqual(['WWW-Authenticate has no realm (expected realm="api")']);
  });

  it('flags an error_description (v1.1 sends none), a wrong error attribute and the body shape', () => {
    const answer = answerOf(reply(401, 'Bearer realm="api", error="invalid_request", error_description="expired"', JSON.stringify({ code: 'token_expired' })));
    expect(compare(expected, answer).differences).toEqual([
      'WWW-Authenticate error=invalid_request instead of invalid_token',
      'WWW-Authenticate has an error_description (v1.1 sends none)',
      'the JSON body has no "detail" string',
    ]);
  });

  it('reads a redirect with its Location, and keeps at most 200 characters of a body', () => {
    const answer: Answer = answerOf(reply(302, null, `<p>${'x'.repeat(400)}</p>`, { location: '/login' }));
    expect(describeAnswer(answer)).toBe('302 → /login');
    expect(answer.bodySnippet!.length).toBe(200);
    expect(snippet('  a \n  b  ')).toBe('a b');
  });
});

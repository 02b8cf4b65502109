// "Your backend's answer": parsing what people paste and comparing it with the contract's answer.
import { describe, expect, it } from 'vitest';
import { type ExpectedResponse, compareResponse, parseChallenge, parseResponse } from '../../../src/contract/verifier/compare-response.ts';

const EXPIRED: ExpectedResponse = { status: 401, code: 'token_expired', wwwAuthenticate: 'Bearer realm="api", error="invalid_token"' };
const MISSING: ExpectedResponse = { status: 401, code: 'missing_token', wwwAuthenticate: 'Bearer realm="api"' };
const fields = (text: string, expected: ExpectedResponse = EXPIRED) => compareResponse(text, expected).differences.map((difference) => difference.field);

describe('parseResponse', () => {
  it('reads curl -i output', () => {
    const parsed = parseResponse('HTTP/1.1 401 Unauthorized\r\nwww-authenticate: Bearer realm="api"\r\ncontent-type: application/json\r\n\r\n{"detail":"x","code":"missing_token"}');
    expect(parsed.status).toBe(401);
    expect(parsed.headers.get('www-authenticate')).toEqual(['Bearer realm="api"']);
    expect(parsed.body).toBe('{"detail":"x","code":"missing_token"}');
  });

  it('reads HTTP/2, DevTools status lines, and keeps the last of several responses', () => {
    expect(parseResponse('HTTP/2 403\nx: y').status).toBe(403);
    expect(parseResponse('status: 401\nwww-authenticate: Bearer').status).toBe(401);
    expect(parseResponse(':status: 500').status).toBe(500);
    expect(parseResponse('HTTP/1.1 307 Temporary Redirect\nHTTP/1.1 401 Unauthorized\nA: b').status).toBe(401);
  });

  it('curl -iL after a redirect, and curl -i after a 100 Continue: the last response counts', () => {
    // As curl prints them: each response head ends with a blank line.
    const redirected = parseResponse(
      'HTTP/1.1 307 Temporary Redirect\r\nlocation: http://127.0.0.1:8000/api/me\r\ncontent-length: 0\r\n\r\nHTTP/1.1 401 Unauthorized\r\nwww-authenticate: Bearer realm="api"\r\n\r\n{"detail":"x","code":"missing_token"}',
    );
    expect(redirected).toMatchObject({ status: 401, body: '{"detail":"x","code":"missing_token"}' });
    expect([...redirected.headers.keys()]).toEqual(['www-authenticate']);
    expect(parseResponse('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 403 Forbidden\r\nA: b\r\n\r\nbody')).toMatchObject({ status: 403, body: 'body' });
  });

  it("DevTools' copied General and Response Headers sections; the request's headers are not the answer's", () => {
    const parsed = parseResponse(
      [
        'General',
        'Request URL: http://127.0.0.1:8000/api/me',
        'Request Method: GET',
        'Status Code: 401 Unauthorized',
        'Remote Address: 127.0.0.1:8000',
        'Referrer Policy: strict-origin-when-cross-origin',
        '',
        'Response Headers',
        'content-type: application/json',
        'www-authenticate: Bearer realm="api", error="invalid_token"',
        '',
        'Request Headers',
        'authorization: Bearer a.b.c',
        'accept: */*',
      ].join('\n'),
    );
    expect(parsed.status).toBe(401);
    expect(Object.fromEntries(parsed.headers)).toEqual({ 'content-type': ['application/json'], 'www-authenticate': ['Bearer realm="api", error="invalid_token"'] });
    expect(parsed.body).toBeNull();
  });

  it('reads a body pasted without headers', () => {
    expect(parseResponse('{"detail":"x"}')).toMatchObject({ status: null, body: '{"detail":"x"}' });
  });
});

describe('parseChallenge', () => {
  it('reads quoted and token params', () => {
    const { scheme, params } = parseChallenge('Bearer realm="api", error=invalid_token, error_description="a \\"b\\""');
    expect(scheme).toBe('Bearer');
    expect(Object.fromEntries(params)).toEqual({ realm: 'api', error: 'invalid_token', error_description: 'a "b"' });
  });
});

describe('compareResponse', () => {
  it('a conforming answer matches', () => {
    const result = compareResponse(
      'HTTP/1.1 401 Unauthorized\nWWW-Authenticate: Bearer realm="api", error="invalid_token"\nContent-Type: application/json\n\n{"detail":"The token has expired.","code":"token_expired"}',
      EXPIRED,
    );
    expect(result.differences).toEqual([]);
    expect(result.matches).toEqual(['status 401', 'realm="api"', 'error="invalid_token"', 'body shape {detail, code}', 'code token_expired']);
  });

  it("FastAPI's default 403 for a missing header: status, challenge and body shape differ", () => {
    const result = compareResponse('HTTP/1.1 403 Forbidden\ncontent-type: application/json\n\n{"detail":"Not authenticated"}', MISSING);
    expect(result.differences.map((difference) => difference.field)).toEqual(['status', 'www-authenticate', 'body']);
    expect(result.differences[0]!.why).toContain('never fetches a fresh token');
    expect(result.differences[2]!.why).toContain('has no code');
  });

  it('names a missing realm, a wrong error attribute and an error_description', () => {
    expect(fields('HTTP/1.1 401 Unauthorized\nWWW-Authenticate: Bearer error="invalid_token"\n\n{"detail":"x","code":"token_expired"}')).toEqual(['realm']);
    expect(fields('HTTP/1.1 401 Unauthorized\nWWW-Authenticate: Bearer realm="api"\n\n{"detail":"x","code":"token_expired"}')).toEqual(['error']);
    expect(
      fields('HTTP/1.1 401 Unauthorized\nWWW-Authenticate: Bearer realm="api", error="invalid_token", error_description="expired"\n\n{"detail":"x","code":"token_expired"}'),
    ).toEqual(['error_description']);
  });

  it('names another code and a body that is not JSON', () => {
    expect(fields('HTTP/1.1 401 Unauthorized\nWWW-Authenticate: Bearer realm="api", error="invalid_token"\n\n{"detail":"x","code":"invalid_token"}')).toEqual(['code']);
    expect(fields('HTTP/1.1 401 Unauthorized\nWWW-Authenticate: Bearer realm="api", error="invalid_token"\ncontent-type: text/html\n\n<html>401</html>')).toEqual([
      'body',
      'content-type',
    ]);
  });

  it('a challenge where none belongs', () => {
    const forbidden = { status: 500, code: 'server_misconfigured', wwwAuthenticate: null };
    expect(fields('HTTP/1.1 500 Internal Server Error\nWWW-Authenticate: Bearer realm="api"\n\n{"detail":"x","code":"server_misconfigured"}', forbidden)).toEqual([
      'www-authenticate',
    ]);
  });

  it('an error body where the contract answers 200', () => {
    const success: ExpectedResponse = { status: 200, code: null, wwwAuthenticate: null };
    expect(fields('{"detail":"The token signature does not match.","code":"bad_signature"}', success)).toEqual(['code']);
    expect(fields('HTTP/1.1 200 OK\n\n{"id":"user_123","detail":"profile","code":"x1"}', success)).toEqual(['code']);
    expect(fields('HTTP/1.1 200 OK\n\n{"id":"user_123"}', success)).toEqual([]);
  });

  it('compares nothing when nothing comparable was pasted, and says so', () => {
    const success: ExpectedResponse = { status: 200, code: null, wwwAuthenticate: null };
    const junk = compareResponse('<html>502 Bad Gateway</html>', success);
    expect(junk).toMatchObject({ empty: false, differences: [], matches: [] });
  });

  it('says what it could not compare', () => {
    const result = compareResponse('{"detail":"x","code":"token_expired"}', EXPIRED);
    expect(result.differences).toEqual([]);
    expect(result.notes.join(' ')).toContain('No status line');
    expect(result.notes.join(' ')).toContain('No headers were pasted');
    expect(compareResponse('   ', EXPIRED).empty).toBe(true);
  });
});

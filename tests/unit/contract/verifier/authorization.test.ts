import { describe, expect, it } from 'vitest';
import { extractAuthorization, parseAuthorization } from '../../../../src/contract/verifier/authorization.ts';

describe('parseAuthorization', () => {
  it.each([
    [null, { kind: 'missing', reason: 'no-header' }],
    [[], { kind: 'missing', reason: 'no-header' }],
    ['', { kind: 'missing', reason: 'empty-header' }],
    ['Bearer', { kind: 'missing', reason: 'empty-token', scheme: 'Bearer' }],
    ['Basic abc', { kind: 'missing', reason: 'other-scheme', scheme: 'Basic' }],
    ['Bearer\tabc', { kind: 'missing', reason: 'other-scheme', scheme: 'Bearer\tabc' }],
    ['bEaReR   a.b.c', { kind: 'token', token: 'a.b.c', scheme: 'bEaReR' }],
    ['\t Bearer a.b.c \t', { kind: 'token', token: 'a.b.c', scheme: 'Bearer' }],
    ['Bearer a b', { kind: 'token', token: 'a b', scheme: 'Bearer' }],
    [['a', 'b'], { kind: 'duplicate', count: 2 }],
  ] as const)('%j', (input, expected) => {
    expect(parseAuthorization(input as never)).toEqual(expected);
  });
});

describe('extractAuthorization', () => {
  const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1In0.sig';

  it('reads a bare token', () => {
    expect(extractAuthorization(`  ${jwt}\n`)).toEqual({ authorization: `Bearer ${jwt}`, source: 'token' });
  });

  it('reads a header value and a header line', () => {
    expect(extractAuthorization(`Bearer ${jwt}`)).toEqual({ authorization: `Bearer ${jwt}`, source: 'header-value' });
    expect(extractAuthorization(`Authorization: Bearer ${jwt}`)).toEqual({ authorization: `Bearer ${jwt}`, source: 'header-lines' });
  });

  it('reads a raw HTTP request with two Authorization headers as two headers', () => {
    const raw = `GET /api/me HTTP/1.1\nHost: api\nAuthorization: Bearer ${jwt}\nauthorization: Bearer other\n`;
    expect(extractAuthorization(raw)).toEqual({ authorization: [`Bearer ${jwt}`, 'Bearer other'], source: 'header-lines' });
  });

  it('reads curl commands, including line continuations and --oauth2-bearer', () => {
    expect(extractAuthorization(`curl -i \\\n  -H 'Authorization: Bearer ${jwt}' \\\n  http://localhost:8000/api/me`)).toEqual({
      authorization: `Bearer ${jwt}`,
      source: 'curl',
    });
    expect(extractAuthorization(`curl --header "authorization: bearer ${jwt}" http://x`).authorization).toBe(`bearer ${jwt}`);
    expect(extractAuthorization(`curl --oauth2-bearer ${jwt} http://x`).authorization).toBe(`Bearer ${jwt}`);
    expect(extractAuthorization('curl http://x').authorization).toBeNull();
  });

  it("reads the token route's JSON answer", () => {
    expect(extractAuthorization(JSON.stringify({ token: jwt, expiresAt: 1 }))).toEqual({ authorization: `Bearer ${jwt}`, source: 'json' });
  });

  it('reads empty input as no header', () => {
    expect(extractAuthorization('   ')).toEqual({ authorization: null, source: 'empty' });
  });
});

import { describe, expect, it } from 'vitest';
import { decodeBase64url, encodeBase64url } from '../../../../src/contract/codec/base64url.ts';
import { decodeToken } from '../../../../src/contract/codec/decode.ts';

const b64 = (text: string) => Buffer.from(text).toString('base64url');
const header = b64('{"alg":"HS256","typ":"JWT"}');
const payload = b64('{"sub":"user_123","email":"ada@example.com","iat":1,"exp":2}');

describe('base64url', () => {
  it('round-trips every byte length', () => {
    for (let length = 0; length < 40; length++) {
      const bytes = Uint8Array.from({ length }, (_, i) => (i * 37 + 11) & 0xff);
      const text = encodeBase64url(bytes);
      expect(text).toBe(Buffer.from(bytes).toString('base64url'));
      const decoded = decodeBase64url(text);
      expect(decoded.ok && Buffer.from(decoded.bytes).equals(Buffer.from(bytes))).toBe(true);
    }
  });

  it('names the offending character and its position', () => {
    expect(decodeBase64url('abcdefghijklmnop+rs')).toEqual({
      ok: false,
      position: 16,
      message: 'is not valid base64url at character 17: "+" (standard base64, not base64url)',
    });
    expect(decodeBase64url('abc=')).toMatchObject({ ok: false, message: 'is not valid base64url at character 4: padding "="' });
  });

  it('refuses impossible lengths and stray bits', () => {
    expect(decodeBase64url('abcde').ok).toBe(false);
    expect(decodeBase64url('QQ').ok).toBe(true); // "A"
    expect(decodeBase64url('QR')).toMatchObject({ ok: false, message: expect.stringMatching(/stray bits/) });
  });
});

describe('decodeToken', () => {
  it('decodes a well-formed token', () => {
    const decoded = decodeToken(`${header}.${payload}.c2ln`);
    expect(decoded.wellFormed).toBe(true);
    expect(decoded.header).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(decoded.payload).toMatchObject({ sub: 'user_123' });
    expect(decoded.segments.map((s) => s.start)).toEqual([0, header.length + 1, header.length + payload.length + 2]);
  });

  it('counts segments', () => {
    expect(decodeToken(`${header}.${payload}.a.b`).problems[0]).toMatch(/^4 segments, expected 3/);
    expect(decodeToken(`${header}.${payload}`).problems[0]).toBe('2 segments, expected 3 (is the signature missing?)');
  });

  it('points at a bad character in a segment, with its offset in the token', () => {
    const broken = `${header}.${payload.slice(0, 16)}+${payload.slice(17)}.sig`;
    const decoded = decodeToken(broken);
    expect(decoded.problems[0]).toBe('segment 2 (payload) is not valid base64url at character 17: "+" (standard base64, not base64url)');
    expect(decoded.segments[1]!.problemAt).toBe(header.length + 1 + 16);
    // the header is still shown
    expect(decoded.header).toEqual({ alg: 'HS256', typ: 'JWT' });
  });

  it('explains JSON that is not an object', () => {
    expect(decodeToken(`${header}.${b64('[1,2]')}.xA`).problems).toEqual(['payload is JSON but not an object (an array)']);
    expect(decodeToken(`${b64('null')}.${payload}.xA`).problems).toEqual(['header is JSON but not an object (null)']);
    expect(decodeToken(`${header}.${b64('not json')}.xA`).problems[0]).toMatch(/^payload is not JSON: /);
  });

  it('shows the header even when the signature is garbage', () => {
    const decoded = decodeToken(`${header}.${payload}.***`);
    expect(decoded.header).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(decoded.payload).toMatchObject({ email: 'ada@example.com' });
    expect(decoded.problems).toEqual(['segment 3 (signature) is not valid base64url at character 1: "*"']);
  });

  it('never throws', () => {
    for (const input of ['', '.', '..', '...', '\u0000', '🙂.🙂.🙂', 'a'.repeat(100_000), String.fromCharCode(0xd800)]) {
      expect(() => decodeToken(input)).not.toThrow();
    }
  });
});

/** The signature (check signature): other secrets, tampering, common secret mistakes. */
import { encodeBase64urlText } from '../codec/base64url.ts';
import { flipSignatureBit, signClaims } from '../codec/sign.ts';
import { TEST_SECRET, OTHER_TEST_SECRET } from '../data/fixtures.ts';
import { type ScenarioSeed, claimsFor, bearer, token, base64Decoded } from './builders.ts';

export const signature: readonly ScenarioSeed[] = [
  {
    name: 'wrong-secret',
    title: 'Signed with another secret',
    why: 'The signature only matches with the backend\'s BETTER_AUTH_SECRET.',
    expect: 'bad_signature',
    preset: true,
    build: async (c) => ({ authorization: bearer(await signClaims(claimsFor(c), c.secret === OTHER_TEST_SECRET ? TEST_SECRET : OTHER_TEST_SECRET)) }),
  },
  {
    name: 'empty-signature',
    title: 'Empty signature',
    why: 'The signature segment may be empty, and then fails the signature check.',
    expect: 'bad_signature',
    build: async (c) => ({ authorization: bearer((await token(c)).replace(/[^.]+$/, '')) }),
  },
  {
    name: 'flipped-signature-bit',
    title: 'One signature bit flipped',
    why: 'Any change to the signature fails it.',
    expect: 'bad_signature',
    build: async (c) => ({ authorization: bearer(flipSignatureBit(await token(c))) }),
  },
  {
    name: 'short-signature',
    title: 'A 16-byte signature',
    why: 'HMAC-SHA256 signatures are 32 bytes; truncated signatures fail.',
    expect: 'bad_signature',
    build: async (c) => ({ authorization: bearer((await token(c)).replace(/[^.]+$/, 'A'.repeat(22))) }),
  },
  {
    name: 'tampered-payload',
    title: 'Payload changed after signing',
    why: 'Changing sub (or anything else) breaks the signature.',
    expect: 'bad_signature',
    build: async (c) => {
      const [h, , s] = (await token(c)).split('.');
      return { authorization: bearer(`${h}.${encodeBase64urlText(JSON.stringify(claimsFor(c, { sub: 'admin', role: 'admin' })))}.${s}`) };
    },
  },
  {
    name: 'secret-with-trailing-newline',
    title: 'Signed with the secret plus a newline',
    why: 'The key is the exact UTF-8 bytes of the secret; a trailing newline is another key.',
    expect: 'bad_signature',
    build: async (c) => ({ authorization: bearer(await signClaims(claimsFor(c), `${c.secret}\n`)) }),
  },
  {
    name: 'backend-secret-with-trailing-newline',
    title: 'The backend\'s secret has a trailing newline',
    why: 'The backend must not trim its secret either: it is a different key.',
    expect: 'bad_signature',
    notOverHttp: 'the backend under test has its own secret',
    build: async (c) => ({ authorization: bearer(await token(c)), secret: `${c.secret}\n` }),
  },
  {
    name: 'secret-base64-decoded',
    title: 'Signed with the base64-decoded secret',
    why: 'BETTER_AUTH_SECRET is used as text, never base64-decoded, even when it looks like base64.',
    expect: 'bad_signature',
    build: async (c) => ({ authorization: bearer(await signClaims(claimsFor(c), base64Decoded(c.secret))) }),
  },
  {
    name: 'signature-before-claims',
    title: 'Bad signature on an expired token without sub',
    why: 'The signature is checked before any claim is trusted or reported.',
    expect: 'bad_signature',
    build: async (c) => ({ authorization: bearer(await signClaims(claimsFor(c, { exp: c.now - 3600 }, ['sub']), OTHER_TEST_SECRET)) }),
  },
];

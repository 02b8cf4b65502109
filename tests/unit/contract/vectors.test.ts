import { createPublicKey, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONTRACT_VERSION, OUTCOMES } from '../../../src/contract/data/contract.ts';
import { SCENARIOS } from '../../../src/contract/scenarios/index.ts';
import { buildVectors, serializeVectors } from '../../../src/contract/vectors.ts';
import { verdict } from '../../../src/contract/verifier/verify.ts';

const published = JSON.parse(readFileSync(new URL('../../../public/vectors.json', import.meta.url), 'utf8'));

describe('public/vectors.json', () => {
  it('is exactly what the generator writes (run `npm run vectors` after changing a scenario)', async () => {
    expect(readFileSync(new URL('../../../public/vectors.json', import.meta.url), 'utf8')).toBe(serializeVectors(await buildVectors(published)));
  });

  it('is deterministic: only randomised signatures differ between two fresh builds', async () => {
    const [first, second] = [await buildVectors(), await buildVectors()];
    const unsigned = (file: typeof first) => JSON.stringify(file).replace(/\.[A-Za-z0-9_-]*"/g, '."');
    expect(unsigned(first)).toBe(unsigned(second));
    expect(serializeVectors(await buildVectors(first))).toBe(serializeVectors(first));
  });

  it('states the contract version and the date of the vectors', () => {
    expect(published.contract).toBe(CONTRACT_VERSION);
    expect(published.contract).toBe('v1.1');
    expect(published.generated).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(published.vectors).toHaveLength(SCENARIOS.length);
  });

  it('covers every check of the contract table, and 200', () => {
    const checks = new Set(published.vectors.map((vector: { expected: { check: string | null } }) => vector.expected.check));
    for (const outcome of OUTCOMES) expect(checks.has(outcome.check), outcome.check).toBe(true);
    expect(checks.has(null)).toBe(true);
  });

  it('agrees with the engine on every vector', async () => {
    for (const vector of published.vectors) {
      const result = await verdict(vector.request);
      expect({ name: vector.name, status: result.status, code: result.code, check: result.check, wwwAuthenticate: result.wwwAuthenticate }).toEqual({
        name: vector.name,
        status: vector.expected.status,
        code: vector.expected.code,
        check: vector.expected.check,
        wwwAuthenticate: vector.expected.wwwAuthenticate,
      });
    }
  });

  // A key the rules forbid must really have signed its token: then a backend that skips the rule answers 200,
  // which the vector catches, rather than failing the signature for another reason.
  it.each([
    ['jwks-rsa-1024', 'RSA-SHA256', 1024],
    ['jwks-key-use-enc', null, 0],
    ['jwks-key-other-alg', null, 0],
    ['jwks-key-ops-sign-only', null, 0],
  ])('%s is signed by the unusable key its kid names', (name, digest, bits) => {
    const vector = published.vectors.find((entry: { name: string }) => entry.name === name);
    const token = String(vector.request.authorization).replace(/^Bearer /, '');
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const { kid } = JSON.parse(Buffer.from(header, 'base64url').toString());
    const jwk = vector.request.keys.keys.find((key: { kid: string }) => key.kid === kid);
    const key = createPublicKey({ key: { kty: jwk.kty, crv: jwk.crv, x: jwk.x, n: jwk.n, e: jwk.e }, format: 'jwk' });
    if (bits) expect(key.asymmetricKeyDetails?.modulusLength).toBe(bits);
    expect(verify(digest, Buffer.from(`${header}.${payload}`), key, Buffer.from(signature, 'base64url'))).toBe(true);
    expect(vector.expected.code).toBe('unknown_key');
  });
});

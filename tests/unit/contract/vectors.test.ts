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
});

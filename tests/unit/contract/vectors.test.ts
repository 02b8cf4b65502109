import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SCENARIOS } from '../../../src/contract/scenarios/scenarios.ts';
import { buildVectors, serializeVectors } from '../../../src/contract/vectors.ts';
import { verdict } from '../../../src/contract/verifier/verify.ts';

const published = JSON.parse(readFileSync(new URL('../../../public/vectors.json', import.meta.url), 'utf8'));

describe('public/vectors.json', () => {
  it('is exactly what the generator writes (run `npm run vectors` after changing a scenario)', async () => {
    expect(readFileSync(new URL('../../../public/vectors.json', import.meta.url), 'utf8')).toBe(serializeVectors(await buildVectors()));
  });

  it('is deterministic', async () => {
    expect(serializeVectors(await buildVectors())).toBe(serializeVectors(await buildVectors()));
  });

  it('states the contract version and the date of the vectors', () => {
    expect(published.contract).toBe('v1');
    expect(published.generated).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(published.vectors).toHaveLength(SCENARIOS.length);
  });

  it('covers every row of the contract table', () => {
    const rows = new Set(published.vectors.map((vector: { row: number | null }) => vector.row));
    for (let row = 0; row <= 14; row++) expect(rows.has(row), `row ${row}`).toBe(true);
    expect(rows.has(null)).toBe(true);
  });

  it('agrees with the engine on every vector', async () => {
    for (const vector of published.vectors) {
      const result = await verdict(vector.request);
      expect({ name: vector.name, status: result.status, code: result.code, wwwAuthenticate: result.wwwAuthenticate }).toEqual({
        name: vector.name,
        status: vector.expected.status,
        code: vector.expected.code,
        wwwAuthenticate: vector.expected.wwwAuthenticate,
      });
    }
  });
});

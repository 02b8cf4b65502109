import { describe, expect, it } from 'vitest';
import { checkEngine } from '../../support/properties.ts';

describe('the engine under random input (fast-check)', () => {
  it('always returns exactly one contract outcome with a consistent trace, and never throws', async () => {
    const runs = Number(process.env.PROPERTY_RUNS ?? 3000);
    const { byCode } = await checkEngine(runs);
    // The generators must reach deep into the checks, not only bounce off the first ones.
    for (const code of ['ok', 'missing_token', 'malformed_token', 'unsupported_alg', 'bad_signature', 'invalid_claim', 'token_expired']) {
      expect(byCode[code] ?? 0, `cases ending in ${code}`).toBeGreaterThan(0);
    }
  }, 120_000);
});

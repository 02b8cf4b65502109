// The docs' words for each outcome live apart from the engine's data: every outcome has them, and nothing else does.
import { describe, expect, it } from 'vitest';
import { OUTCOMES } from '../../../../src/contract/data/contract.ts';
import { OUTCOME_PROSE, outcomeProse } from '../../../../src/contract/data/outcome-prose.ts';

describe('outcome prose', () => {
  it('has a requirement and a failure for every outcome, and no entry for an outcome that does not exist', () => {
    for (const outcome of OUTCOMES) {
      const prose = outcomeProse(outcome);
      expect(prose.requirement.length, `${outcome.check}/${outcome.code}`).toBeGreaterThan(10);
      expect(prose.failure.length, `${outcome.check}/${outcome.code}`).toBeGreaterThan(10);
    }
    expect(Object.keys(OUTCOME_PROSE).sort()).toEqual(OUTCOMES.map((outcome) => `${outcome.check}/${outcome.code}`).sort());
  });

  it('refuses an outcome it has no words for', () => {
    expect(() => outcomeProse({ check: 'expiry', code: 'bad_signature' })).toThrow(/expiry\/bad_signature/);
  });
});

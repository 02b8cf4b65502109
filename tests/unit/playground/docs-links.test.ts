import { describe, expect, it } from 'vitest';
import { docsLinks } from '../../../src/playground/render-verdict.ts';

describe('docsLinks', () => {
  it('points a code at its row of the error table and a check at its item of the backend checklist', () => {
    expect(docsLinks('/', { code: 'token_expired', checkId: 'expiry' })).toEqual({
      code: '/reference/errors/#code-token_expired',
      check: '/reference/backend/#check-expiry',
    });
  });

  it('points a 200 at the table\'s 200 row and at the whole checklist, under a base path too', () => {
    expect(docsLinks('/bearer-contract/', { code: '—', checkId: null })).toEqual({
      code: '/bearer-contract/reference/errors/#code-ok',
      check: '/bearer-contract/reference/backend/#the-checks-in-order',
    });
  });
});

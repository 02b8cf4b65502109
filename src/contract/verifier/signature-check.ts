/**
 * What the signature was checked with, in words: the key set's key, or the backend secret, or why it was
 * never checked. Shared by the diagnosis and the playground's answer (which shows it before any diagnosis).
 */
import type { Evaluation } from './verify.ts';

/** The trace step of the signature check. */
export const signatureStep = (evaluation: Evaluation) => evaluation.verdict.trace.find((step) => step.check === 'signature');

export function signatureCheck(evaluation: Evaluation): string {
  const step = signatureStep(evaluation);
  const alg = evaluation.decoded?.header?.alg;
  const key = keyUsed(evaluation);
  const how = key ? `Checked with ${typeof alg === 'string' ? alg : 'its alg'} and the ${key}` : 'Checked with HMAC-SHA256 and the backend secret';
  if (step?.state === 'passed') return `${how}: it matches.`;
  if (step?.state === 'failed') return `${how}: it does not match.`;
  if (evaluation.verdict.check === 'alg') {
    const which = usesKeySet(evaluation) ? 'only the configured algorithm (and HS256 in the both profile) is checked' : 'only HS256 is checked with the backend secret';
    return `Never checked: the alg check failed first (alg ${typeof alg === 'string' ? `"${alg}"` : 'missing'}; ${which}).`;
  }
  if (evaluation.verdict.check === 'key') return 'Never checked: no key of the key set fits this token.';
  return 'Not checked: an earlier check failed.';
}

/** Whether the backend of this evaluation has a key set (the jwks and both profiles run check "key"). */
export const usesKeySet = (evaluation: Evaluation) => evaluation.verdict.trace.some((step) => step.check === 'key');

/** The key-set key the signature was checked with ("OKP Ed25519 key "kid" from the key set"), or null. */
export function keyUsed(evaluation: Evaluation): string | null {
  const step = evaluation.verdict.trace.find((candidate) => candidate.check === 'key');
  return step?.state === 'passed' ? step.message.replace(/^Using the /, '').replace(/\.$/, '') : null;
}

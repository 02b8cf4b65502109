/**
 * What an edit means: a control (by its data-ref, or a claim field) and its new value become a store
 * action, a builder change to sign, or nothing (an invalid number). Pure, no DOM.
 */
import { type FormClaim, setClaim } from './builder.ts';
import { parseUtcInput } from './time-claims.ts';
import { PROFILES, type Profile } from '../contract/data/profiles.ts';
import { type Action, type Builder, type ContextField, type SignAlg, type State, SIGN_ALGS, isKeyPairAlg } from './state.ts';

/** Inputs that write a backend setting, by their data-ref. */
const FIELDS: Record<string, ContextField> = {
  issuer: 'issuer',
  audience: 'audience',
  'path-user': 'pathUserId',
  role: 'requiredRole',
  url: 'url',
  'key-set': 'keySet',
  algorithm: 'algorithm',
};

export type Intent =
  | { kind: 'action'; action: Action }
  /** The builder changed: sign it and put the token in the request. */
  | { kind: 'build'; builder: Builder }
  | { kind: 'none' };

/** The result of an edit, and whether the field's text is valid (for aria-invalid), when it is checked. */
export function intentOf(ref: string, claim: string | undefined, value: string, state: State, pasted = false): Intent & { valid?: boolean } {
  if (ref in FIELDS) return { kind: 'action', action: { type: 'field', field: FIELDS[ref]!, value } };
  const number = Number(value);
  const isNumber = value.trim() !== '' && Number.isFinite(number);
  switch (ref) {
    case 'input':
      return { kind: 'action', action: { type: 'input', text: value, pasted } };
    case 'secret':
      return { kind: 'action', action: { type: 'secret', value } };
    case 'profile':
      return (PROFILES as readonly string[]).includes(value) ? { kind: 'action', action: { type: 'profile', value: value as Profile } } : { kind: 'none' };
    case 'key-set-unavailable':
      return { kind: 'action', action: { type: 'key-set-unavailable', value: value === 'true' } };
    case 'answer':
      return { kind: 'action', action: { type: 'answer', text: value } };
    case 'clock-date': {
      const at = parseUtcInput(value);
      return at !== null ? { kind: 'action', action: { type: 'clock-fixed', at }, valid: true } : { kind: 'none', valid: false };
    }
    case 'clock-seconds':
      return isNumber ? { kind: 'action', action: { type: 'clock-fixed', at: number }, valid: true } : { kind: 'none', valid: false };
    case 'leeway':
      return isNumber && number >= 0 ? { kind: 'action', action: { type: 'leeway', value: number }, valid: true } : { kind: 'none', valid: false };
    case 'signing':
      return { kind: 'build', builder: { ...state.builder, signingSecret: value } };
    case 'claims-json':
      return { kind: 'build', builder: { ...state.builder, claims: value } };
    case 'alg': {
      if (!SIGN_ALGS.includes(value as SignAlg)) return { kind: 'none' };
      // A key pair signs for one algorithm: another algorithm goes back to its built-in test key.
      const kid = isKeyPairAlg(value) && value === state.builder.alg ? state.builder.kid : '';
      return { kind: 'build', builder: { ...state.builder, alg: value as SignAlg, kid } };
    }
  }
  if (claim) {
    const claims = setClaim(state.builder.claims, claim as FormClaim, value);
    if (claims !== null) return { kind: 'build', builder: { ...state.builder, claims } };
  }
  return { kind: 'none' };
}

/**
 * What an edit means: a control (by its data-ref, or a claim field) and its new value become a store
 * action, a builder change to sign, or nothing (an invalid number). Pure, no DOM.
 */
import { type FormClaim, setClaim } from './builder.ts';
import type { Action, Builder, ContextField, SignAlg, State } from './state.ts';

/** Inputs that write a backend setting, by their data-ref. */
const FIELDS: Record<string, ContextField> = { issuer: 'issuer', audience: 'audience', 'path-user': 'pathUserId', role: 'requiredRole', url: 'url' };

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
    case 'answer':
      return { kind: 'action', action: { type: 'answer', text: value } };
    case 'clock-date': {
      const at = new Date(value).getTime() / 1000;
      return value !== '' && Number.isFinite(at) ? { kind: 'action', action: { type: 'clock-fixed', at } } : { kind: 'none' };
    }
    case 'clock-seconds':
      return isNumber ? { kind: 'action', action: { type: 'clock-fixed', at: number }, valid: true } : { kind: 'none', valid: false };
    case 'leeway':
      return isNumber && number >= 0 ? { kind: 'action', action: { type: 'leeway', value: number }, valid: true } : { kind: 'none', valid: false };
    case 'signing':
      return { kind: 'build', builder: { ...state.builder, signingSecret: value } };
    case 'claims-json':
      return { kind: 'build', builder: { ...state.builder, claims: value } };
    case 'alg':
      return { kind: 'build', builder: { ...state.builder, alg: value as SignAlg } };
  }
  if (claim) {
    const claims = setClaim(state.builder.claims, claim as FormClaim, value);
    if (claims !== null) return { kind: 'build', builder: { ...state.builder, claims } };
  }
  return { kind: 'none' };
}

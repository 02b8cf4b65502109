/**
 * The verdict request: what the playground, the CLIs and the vectors send the verifier, and how the verifier
 * reads a request of unknown shape (anything of the wrong type counts as not given, with a note).
 */
import type { AuthorizationInput } from './authorization.ts';
import {
  DEFAULT_KEY_SET_ALGORITHM,
  DEFAULT_LEEWAY,
  DEFAULT_PROFILE,
  type KeySetAlgorithm,
  PROFILES,
  type Profile,
  keySetAlgorithm,
} from '../data/contract.ts';
import { jsonTypeName } from '../codec/decode.ts';
import { show } from './describe.ts';
import { type HeldKeySet, type Jwk, readKeySet } from './key-set.ts';

/** The request every tool speaks: the playground, the CLI, the vectors. */
export interface VerdictRequest {
  /** Where the backend's keys come from: "hs256" (default), "jwks" or "both". */
  profile?: Profile;
  /** The Authorization header value, one value per header when several were sent, or null for none. */
  authorization?: AuthorizationInput;
  /** BETTER_AUTH_SECRET as the backend has it (hs256, both). */
  secret?: string | null;
  /** jwks, both: the key set the backend holds after any refetch, "unavailable" when none can be had, absent when not configured. */
  keys?: { keys: Jwk[] } | 'unavailable' | null;
  /** jwks, both: the configured asymmetric algorithm (default EdDSA). */
  algorithm?: string;
  /** Seconds since the epoch; the current time when absent. */
  now?: number;
  /** Clock leeway in seconds (default 30). */
  leeway?: number;
  issuer?: string;
  audience?: string;
  /** The route is scoped to this user id. */
  pathUserId?: string;
  /** The route needs this role. */
  requiredRole?: string;
}

/** A request as the checks use it: every field read, defaulted or noted. */
export interface Settings {
  profile: Profile;
  authorization: AuthorizationInput;
  secret: string | null;
  keys: HeldKeySet | null;
  /** The configured key-set algorithm, or null when the request names one the contract does not offer. */
  algorithm: KeySetAlgorithm | null;
  algorithmText: string;
  now: number;
  leeway: number;
  issuer: string | null;
  audience: string | null;
  pathUserId: string | null;
  requiredRole: string | null;
}

/** Reads a verdict request of unknown shape; anything of the wrong type counts as not given. */
export function readRequest(input: unknown, notes: string[]): Settings {
  const request: Record<string, unknown> =
    input !== null && typeof input === 'object' && !Array.isArray(input) ? (input as Record<string, unknown>) : {};
  if (request !== input) notes.push(`the verdict request should be a JSON object, not ${jsonTypeName(input)}`);

  const optionalString = (key: string): string | null => {
    const value = request[key];
    if (value === undefined || value === null || value === '') return null;
    if (typeof value === 'string') return value;
    notes.push(`${key} should be a string, not ${jsonTypeName(value)}; read as not set`);
    return null;
  };

  let authorization: AuthorizationInput = null;
  const raw = request.authorization;
  if (typeof raw === 'string') authorization = raw;
  else if (Array.isArray(raw)) {
    if (raw.length >= 2) authorization = raw.map((value) => (typeof value === 'string' ? value : JSON.stringify(value) ?? ''));
    else if (raw.length === 1 && typeof raw[0] === 'string') authorization = raw[0];
    else if (raw.length === 1) notes.push('authorization[0] should be a string; read as no header');
  } else if (raw !== undefined && raw !== null) {
    notes.push(`authorization should be a string, an array of strings or null, not ${jsonTypeName(raw)}; read as no header`);
  }

  let secret: string | null = null;
  if (typeof request.secret === 'string') secret = request.secret;
  else if (request.secret !== undefined && request.secret !== null) {
    notes.push(`secret should be a string, not ${jsonTypeName(request.secret)}; read as not configured`);
  }

  let profile: Profile = DEFAULT_PROFILE;
  if (typeof request.profile === 'string' && (PROFILES as readonly string[]).includes(request.profile)) profile = request.profile as Profile;
  else if (request.profile !== undefined && request.profile !== null) {
    notes.push(`profile should be one of ${PROFILES.join(', ')}, not ${show(request.profile)}; ${DEFAULT_PROFILE} is used`);
  }

  let algorithmText: string = DEFAULT_KEY_SET_ALGORITHM;
  if (typeof request.algorithm === 'string') algorithmText = request.algorithm;
  else if (request.algorithm !== undefined && request.algorithm !== null) {
    notes.push(`algorithm should be a string, not ${jsonTypeName(request.algorithm)}; ${DEFAULT_KEY_SET_ALGORITHM} is used`);
  }

  let now = Date.now() / 1000;
  if (typeof request.now === 'number' && Number.isFinite(request.now)) now = request.now;
  else if (request.now !== undefined) notes.push(`now should be a finite number of seconds, not ${jsonTypeName(request.now)}; the current time is used`);

  let leeway = DEFAULT_LEEWAY;
  if (typeof request.leeway === 'number' && Number.isFinite(request.leeway) && request.leeway >= 0) leeway = request.leeway;
  else if (request.leeway !== undefined) notes.push(`leeway should be a non-negative number of seconds; ${DEFAULT_LEEWAY} s is used`);

  return {
    profile,
    authorization,
    secret,
    keys: profile === 'hs256' ? null : readKeySet(request.keys, notes),
    algorithm: keySetAlgorithm(algorithmText),
    algorithmText,
    now,
    leeway,
    issuer: optionalString('issuer'),
    audience: optionalString('audience'),
    pathUserId: optionalString('pathUserId'),
    requiredRole: optionalString('requiredRole'),
  };
}

/** What a conformance run produces: one result per scenario or CORS check, and the run around them. */
import type { Answer, NoAnswer, Severity } from './compare.ts';
import type { ConformanceOptions } from './options.ts';

/**
 * - passed: the answer agrees with the contract;
 * - mismatched: it differs (see severity);
 * - no-answer: none came (see actual.failure): this case cannot be judged;
 * - not-applicable: the case cannot mean what it says against this backend (see reason).
 */
export type State = 'passed' | 'mismatched' | 'no-answer' | 'not-applicable';

export interface Result {
  name: string;
  title: string;
  /** A contract scenario, a scenario only the CLI sends, a CORS check, or a key-set lifecycle check (--profile jwks, both). */
  kind: 'scenario' | 'http-only' | 'cors' | 'key-set';
  /** The id of the contract check that must fail ("cors" for the CORS checks), null when the answer is 200. */
  check: string | null;
  state: State;
  severity?: Severity;
  /** Why it was not applicable. */
  reason?: string;
  request?: { method: string; path: string; authorizationHeaders: number };
  expected?: Answer | { text: string };
  actual?: Answer | NoAnswer;
  differences: string[];
  ms: number;
}

export interface Summary {
  passed: number;
  mismatched: number;
  noAnswer: number;
  notApplicable: number;
  /** Cases not run because the run stopped early. */
  notRun: number;
  total: number;
  bySeverity: Record<Severity, number>;
}

export interface Run {
  options: ConformanceOptions;
  startedAt: string;
  seconds: number;
  results: Result[];
  /** Cases that were planned, in order (for the count of those not run). */
  planned: number;
  /** Why the run stopped before its end, or null. */
  abortReason: string | null;
  /** Problems found before any case ran (the backend cannot be reached). */
  fatal: string | null;
  notes: string[];
}

export function summaryOf(run: Pick<Run, 'results' | 'planned'>): Summary {
  const count = (state: State) => run.results.filter((result) => result.state === state).length;
  const bySeverity = { security: 0, availability: 0, status: 0, format: 0 };
  for (const result of run.results) if (result.state === 'mismatched' && result.severity) bySeverity[result.severity]++;
  return {
    passed: count('passed'),
    mismatched: count('mismatched'),
    noAnswer: count('no-answer'),
    notApplicable: count('not-applicable'),
    notRun: Math.max(0, run.planned - run.results.length),
    total: run.results.length,
    bySeverity,
  };
}

/** 0 all agree, 1 mismatches, 3 cannot judge (see EXIT in options.ts). */
export function exitCodeOf(run: Run): 0 | 1 | 3 {
  const summary = summaryOf(run);
  if (summary.mismatched) return 1;
  if (run.fatal || run.abortReason || summary.noAnswer || summary.notRun) return 3;
  return 0;
}

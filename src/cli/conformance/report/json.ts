/** The JSON report: the configuration (never the secret), the summary, the diagnosis and every result. */
import { CONTRACT_VERSION } from '../../../contract/data/contract.ts';
import type { Finding } from '../diagnosis.ts';
import { type Run, exitCodeOf, summaryOf } from '../result.ts';
import { algorithmOf, isKeySetRun, profileOf } from '../key-set/profile.ts';

export function jsonReport(run: Run, findings: Finding[], notes: string[]): string {
  const { options } = run;
  const report = {
    tool: 'bearer-contract conformance',
    contractVersion: CONTRACT_VERSION,
    profile: profileOf(run.options),
    ...(isKeySetRun(run.options) ? { algorithm: algorithmOf(run.options), keySetLifecycle: !run.options.skipKeySetLifecycle } : {}),
    startedAt: run.startedAt,
    seconds: run.seconds,
    backend: options.baseUrl.href,
    /** True when the run did not finish (cannot reach, --max-time, interrupted, gave up). */
    partial: Boolean(run.abortReason || run.fatal),
    stopped: run.abortReason,
    cannotJudge: run.fatal,
    exitCode: exitCodeOf(run),
    configuration: {
      issuer: options.issuer,
      audience: options.audience,
      mePath: options.mePath,
      userPath: options.userPath,
      rolePath: options.rolePath,
      role: options.role,
      origin: options.sameOrigin ? null : options.origin,
      sameOrigin: options.sameOrigin,
      timeoutSeconds: options.timeoutMs / 1000,
      maxTimeSeconds: options.maxTimeMs === null ? null : options.maxTimeMs / 1000,
    },
    summary: summaryOf(run),
    diagnosis: findings,
    notes,
    results: run.results,
  };
  return `${JSON.stringify(report, null, 2)}\n`;
}

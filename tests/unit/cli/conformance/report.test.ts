/** The reports (report/text.ts, junit.ts, json.ts, github.ts) on a hand-made run. */
import { describe, expect, it } from 'vitest';
import { annotations, jobSummary } from '../../../../src/cli/conformance/report/github.ts';
import { jsonReport } from '../../../../src/cli/conformance/report/json.ts';
import { junitReport } from '../../../../src/cli/conformance/report/junit.ts';
import { WIDTH, plain, textReport, wrap } from '../../../../src/cli/conformance/report/text.ts';
import type { Result, Run } from '../../../../src/cli/conformance/result.ts';
import { optionsFor } from './support.ts';

const answer = (status: number, code: string | null = null) => ({ status, challenge: status === 401, scheme: status === 401 ? 'Bearer' : null, realm: status === 401 ? 'api' : null, error: status === 401 ? 'invalid_token' : null, code });
const result = (name: string, check: string | null, state: Result['state'], extra: Partial<Result> = {}): Result => ({
  name,
  title: `the ${name} case, with a title long enough to need wrapping when the differences are added after it`,
  kind: 'scenario',
  check,
  state,
  differences: [],
  ms: 3,
  ...extra,
});

const run: Run = {
  options: optionsFor('http://127.0.0.1:8000', 'secret-never-shown-0123456789'),
  startedAt: '2026-01-01T00:00:00Z',
  seconds: 1.5,
  planned: 6,
  abortReason: 'interrupted (SIGINT)',
  fatal: null,
  notes: [],
  results: [
    result('valid', null, 'passed', { expected: answer(200), actual: answer(200) }),
    result('format-case', 'expiry', 'mismatched', { severity: 'format', expected: answer(401, 'token_expired'), actual: answer(401, 'expired'), differences: ['code expired instead of token_expired'] }),
    result('wrong-secret', 'signature', 'mismatched', { severity: 'security', expected: answer(401, 'bad_signature'), actual: answer(200), differences: ['status 200 instead of 401'] }),
    result('slow', 'structure', 'no-answer', { actual: { status: null, failure: 'the server stopped answering' }, differences: ['the server stopped answering'] }),
    result('no-secret', 'secret', 'not-applicable', { reason: 'not over HTTP: the backend under test has a secret' }),
  ],
};

describe('reports', () => {
  it('text: security before format, every line within 100 columns, partial said', () => {
    const text = textReport(run, [], [], plain);
    expect(text.indexOf('Accepts what it must refuse (security): 1')).toBeLessThan(text.indexOf('Format only (status right): 1'));
    expect(text).toContain('Stopped early: interrupted (SIGINT). The report is partial.');
    expect(text).toContain('No answer (cannot judge): 1');
    expect(text.replace(/\n  /g, " ")).toMatch(/✗ 1 passed, 2 mismatched, 1 without answer, 1 not applicable, 1 not run \(1\.5 s\); mismatches: 1 security, 1 format/);
    for (const line of text.split("\n")) expect(line.length, line).toBeLessThanOrEqual(WIDTH);
    for (const line of wrap('x'.repeat(250), 4)) expect(line.length).toBeLessThanOrEqual(WIDTH);
  });

  it('JUnit: classname conformance.<check id>, never a number; failure typed by severity; no answer as an error', () => {
    const xml = junitReport(run);
    expect([...xml.matchAll(/classname="([^"]+)"/g)].map((match) => match[1])).toEqual([
      'conformance.accepted',
      'conformance.expiry',
      'conformance.signature',
      'conformance.structure',
      'conformance.secret',
    ]);
    expect(xml).toContain('<failure type="security"');
    expect(xml).toContain('<error type="no-answer"');
    expect(xml).toContain('<property name="partial" value="true"/>');
    expect(xml).toMatch(/tests="5" failures="2" errors="1" skipped="1"/);
  });

  it('JSON: partial, the reason, the exit code, severities, never the secret', () => {
    const json = jsonReport(run, [], []);
    const report = JSON.parse(json);
    expect(report).toMatchObject({ partial: true, stopped: 'interrupted (SIGINT)', exitCode: 1, summary: { notRun: 1, bySeverity: { security: 1, format: 1 } } });
    expect(json).not.toContain('secret-never-shown');
  });

  it('GitHub: escaped annotations and a Markdown summary grouped by severity', () => {
    const lines = annotations(run, []).trim().split('\n');
    expect(lines[0]).toBe('::warning title=Conformance%3A stopped early::interrupted (SIGINT); the report is partial');
    expect(lines).toContain('::error title=Format only (status right)%3A format-case::' + `${run.results[1]!.title}: expected 401 token_expired error="invalid_token", got 401 expired error="invalid_token". code expired instead of token_expired`);
    const summary = jobSummary(run, []);
    expect(summary).toMatch(/^## ❌ /);
    expect(summary.indexOf('### Accepts what it must refuse (security): 1')).toBeLessThan(summary.indexOf('### Format only (status right): 1'));
  });
});

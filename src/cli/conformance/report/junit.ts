/**
 * The JUnit XML report: one testcase per case, classname `conformance.<check id>` (the contract's stable id,
 * "accepted" for 200s, "cors" for the CORS checks), a failure per mismatch, an error per missing answer, a
 * skip per case not applicable. A partial run says so in the suite's properties.
 */
import { CONTRACT_VERSION } from '../../../contract/data/contract.ts';
import { describeAnswer } from '../compare.ts';
import { type Run, summaryOf } from '../result.ts';

export const xml = (text: string) =>
  text
    .replace(/[^\t\n\r\x20-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');

export function junitReport(run: Run): string {
  const summary = summaryOf(run);
  const seconds = run.seconds.toFixed(3);
  const cases = run.results.map((result) => {
    const classname = `conformance.${result.check ?? 'accepted'}`;
    const open = `    <testcase classname="${xml(classname)}" name="${xml(`${result.name}: ${result.title}`)}" time="${(result.ms / 1000).toFixed(3)}"`;
    if (result.state === 'passed') return `${open}/>`;
    if (result.state === 'not-applicable') return `${open}>\n      <skipped message="${xml(result.reason ?? '')}"/>\n    </testcase>`;
    const message = `expected ${describeAnswer(result.expected)}, got ${describeAnswer(result.actual)}`;
    if (result.state === 'no-answer') return `${open}>\n      <error type="no-answer" message="${xml(message)}">${xml(result.differences.join('\n'))}</error>\n    </testcase>`;
    return `${open}>\n      <failure type="${result.severity ?? 'mismatch'}" message="${xml(message)}">${xml(result.differences.join('\n'))}</failure>\n    </testcase>`;
  });
  const counts = `tests="${summary.total}" failures="${summary.mismatched}" errors="${summary.noAnswer}" skipped="${summary.notApplicable}" time="${seconds}"`;
  const properties = [
    ['contract', CONTRACT_VERSION],
    ['backend', run.options.baseUrl.href],
    ['partial', String(Boolean(run.abortReason || run.fatal))],
    ...(run.abortReason ? [['stopped', run.abortReason]] : []),
    ...(run.fatal ? [['cannot-judge', run.fatal]] : []),
    ...(summary.notRun ? [['not-run', String(summary.notRun)]] : []),
  ];
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="bearer contract ${CONTRACT_VERSION} conformance" ${counts}>`,
    `  <testsuite name="conformance" ${counts} timestamp="${run.startedAt}">`,
    '    <properties>',
    ...properties.map(([name, value]) => `      <property name="${xml(name!)}" value="${xml(value!)}"/>`),
    '    </properties>',
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

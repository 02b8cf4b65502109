/**
 * The conformance command: options, the run, and its reports. The text report goes to stdout, progress and
 * errors to stderr; --json and --junit files are written in every case but bad options (partial when the
 * run stopped early: Ctrl-C, SIGTERM, --max-time, gave up). Every text passes through redact(): the secret
 * never appears in any output.
 */
import { appendFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from '../usage.ts';
import { diagnose, mismatchHints } from './diagnosis.ts';
import { EXIT, USAGE, parseOptions } from './options.ts';
import { createProgress } from './progress.ts';
import { exitCodeOf } from './result.ts';
import { runConformance } from './run.ts';
import { redact } from './secret.ts';
import { annotations, jobSummary } from './report/github.ts';
import { jsonReport } from './report/json.ts';
import { junitReport } from './report/junit.ts';
import { ansi, plain, textReport } from './report/text.ts';

export async function conformanceMain(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let options;
  try {
    options = parseOptions(args, env);
  } catch (error) {
    if (error instanceof UsageError) {
      // A message may quote a flag's value, but never the secret's.
      process.stderr.write(`conformance: ${error.message}\n\n${USAGE}\n`);
      return EXIT.usage;
    }
    throw error;
  }
  if (!options) {
    process.stdout.write(`${USAGE}\n`);
    return EXIT.agree;
  }
  const secret = options.secret;
  const out = (stream: NodeJS.WriteStream, text: string) => stream.write(redact(text, secret));

  const controller = new AbortController();
  let interrupted = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    interrupted++;
    // A second Ctrl-C does not wait for the reports.
    if (interrupted > 1) process.exit(130);
    controller.abort(`interrupted (${signal})`);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const progress = createProgress(options.progress);
  try {
    const log = (line: string) => out(process.stderr, `${line}\n`);
    const run = await runConformance(options, { signal: controller.signal, abort: (reason) => controller.abort(reason), progress, log });
    const findings = diagnose(run.results, options);
    const notes = [...mismatchHints(run.results), ...run.notes];
    const paint = process.stdout.isTTY && !env.NO_COLOR ? ansi : plain;
    if (options.format === 'github') out(process.stdout, annotations(run, findings));
    out(process.stdout, textReport(run, findings, notes, paint));
    if (run.fatal) out(process.stderr, `conformance: cannot judge: ${run.fatal}\n`);
    else if (run.abortReason) out(process.stderr, `conformance: stopped early: ${run.abortReason}; reports are partial\n`);

    const write = (path: string, text: string, append = false) => {
      try {
        (append ? appendFileSync : writeFileSync)(resolve(path), redact(text, secret));
      } catch (error) {
        out(process.stderr, `conformance: could not write ${path}: ${(error as Error).message}\n`);
      }
    };
    if (options.json) write(options.json, jsonReport(run, findings, notes));
    if (options.junit) write(options.junit, junitReport(run));
    if (options.format === 'github' && env.GITHUB_STEP_SUMMARY) write(env.GITHUB_STEP_SUMMARY, jobSummary(run, findings), true);
    return exitCodeOf(run);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/**
 * npm run audit: Lighthouse (mobile preset, the machine's Chromium) on the home page, a reference page
 * and the playground of the built site. Prints the four category scores per page and fails when any is
 * below 0.95. Pass other pages as arguments: npm run audit -- concepts/flow/
 * Performance under simulated throttling varies from run to run on a busy machine, so each page is
 * measured RUNS times (default 5, AUDIT_RUNS to change) and the median of each score counts, as
 * Lighthouse's own documentation on variability recommends (five runs, the median).
 * Per run it also prints how much of the blocking time comes from tasks that ran before the first paint
 * (blockingBeforePaint). Below each page it prints where the total blocking time of the median run goes, as
 * Lighthouse itself attributes it (TBTImpactTasks, the data behind its bootup-time audit): by kind of work
 * (style and layout, script evaluation, HTML parsing...), by script, and the top tasks with what ran inside them.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { ProcessedNavigation } from 'lighthouse/core/computed/processed-navigation.js';
import { TBTImpactTasks } from 'lighthouse/core/computed/tbt-impact-tasks.js';
import { BROWSER_UI_FEATURES_OFF, CHROMIUM_ARGS, systemChromium, withFeaturesDisabled } from './browser.mjs';

/** Minimum median score per category. */
const THRESHOLDS = { performance: 0.95, accessibility: 0.95, 'best-practices': 0.95, seo: 0.95 } as const;
const RUNS = Math.max(1, Number(process.env.AUDIT_RUNS || 5));
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const PORT = Number(process.env.AUDIT_PORT || 4440);
/** How many of the median run's most blocking tasks to list per page (AUDIT_TASKS to change). */
const TOP_TASKS = Math.max(0, Number(process.env.AUDIT_TASKS || 4));
const base = (process.env.BASE_PATH || '/').replace(/\/?$/, '/');
const pages = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
const targets = pages.length ? pages : ['', 'reference/errors/', 'playground/'];
const dist = resolve(process.env.DIST_DIR || 'dist');

if (!process.argv.includes('--no-build')) {
  const build = spawnSync('astro', ['build'], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
if (!existsSync(`${dist}/index.html`)) {
  console.error(`audit: no built site in ${dist}`);
  process.exit(1);
}

type RunnerResult = NonNullable<Awaited<ReturnType<typeof lighthouse>>>;
/** The parts of Lighthouse's task tree this report reads (LH.Artifacts.TaskNode, TBTImpactTask). */
interface TaskNode {
  event: { name: string; ts: number; args?: { data?: { functionName?: string; url?: string } } };
  children: TaskNode[];
  selfTime: number;
  startTime: number;
}
interface ImpactTask extends TaskNode {
  parent?: TaskNode;
  duration: number;
  tbtImpact: number;
  selfTbtImpact: number;
  group: { id: string; label: string };
  attributableURLs: string[];
}
const shortUrl = (url: string | undefined) =>
  url ? url.replace(/^https?:\/\/[^/]+/, '').replace(/\/_astro\//, '/').replace(/\.astro_astro_type_script_index_0_lang/, '') : 'browser';
const rounded = (entries: Map<string, number>, limit: number) =>
  [...entries].sort((a, b) => b[1] - a[1]).filter(([, ms]) => ms >= 1).slice(0, limit).map(([name, ms]) => `${name} ${Math.round(ms)}`).join(', ');

/** Lighthouse's attribution of one run's total blocking time to main-thread tasks (simulated, 4x slower CPU),
 * and when the first contentful paint was observed (trace microseconds). */
async function impactTasks({ lhr, artifacts }: RunnerResult): Promise<{ tasks: ImpactTask[]; firstPaint: number }> {
  const data = { trace: artifacts.Trace, devtoolsLog: artifacts.DevtoolsLog, gatherContext: artifacts.GatherContext, settings: lhr.configSettings, URL: artifacts.URL, SourceMaps: artifacts.SourceMaps, HostDPR: artifacts.HostDPR, simulator: null };
  const context = { computedCache: new Map() };
  const tasks = await (TBTImpactTasks.request as unknown as (input: unknown, context: unknown) => Promise<ImpactTask[]>)(data, context);
  const navigation = await (ProcessedNavigation.request as unknown as (trace: unknown, context: unknown) => Promise<{ timestamps: { firstContentfulPaint?: number } }>)(artifacts.Trace, context);
  return { tasks, firstPaint: navigation.timestamps.firstContentfulPaint ?? Infinity };
}

const topLevel = (task: ImpactTask) => !task.parent;
/** Whether a top-level task started before the first contentful paint the browser actually reported. */
const beforePaint = (task: ImpactTask, firstPaint: number) => task.event.ts < firstPaint;
/**
 * Blocking time Lighthouse attributes to top-level tasks, and how much of it to tasks that ran before the page's
 * first paint. Its simulation estimates the first paint from the first parse, layout and paint alone, then replays
 * every task 4x slower: the browser's own navigation and the HTML parse, which really ran before the first
 * paint, land after that estimate and count. (The attributed sum uses Lighthouse's pessimistic bounds, so it can
 * exceed the metric, which averages two estimates.)
 */
function blockingBeforePaint({ tasks, firstPaint }: { tasks: ImpactTask[]; firstPaint: number }) {
  const attributed = tasks.filter(topLevel);
  const sum = (list: ImpactTask[]) => Math.round(list.reduce((total, task) => total + task.tbtImpact, 0));
  return { before: sum(attributed.filter((task) => beforePaint(task, firstPaint))), attributed: sum(attributed) };
}
const shareText = ({ before, attributed }: { before: number; attributed: number }) => `${before}/${attributed}`;

/**
 * Where the total blocking time of one run goes, in Lighthouse's own attribution (simulated, 4x slower CPU);
 * `impact` is that run's impactTasks(), or the error it failed with.
 */
function blockingReport({ lhr }: RunnerResult, impact: Awaited<ReturnType<typeof impactTasks>> | Error): string[] {
  const tbt = lhr.audits['total-blocking-time']!;
  const lines = [`blocking: total ${Math.round(tbt.numericValue ?? 0)} ms (median run)`];
  if (impact instanceof Error) {
    // Fall back to the main-thread breakdown of the report (time, not blocking time).
    const items = (lhr.audits['mainthread-work-breakdown']?.details as { items?: { groupLabel: string; duration: number }[] } | undefined)?.items ?? [];
    lines.push(`main thread (no blocking attribution: ${impact.message}): ${items.map((item) => `${item.groupLabel} ${Math.round(item.duration)}`).join(', ')}`);
    return lines;
  }
  const { tasks, firstPaint } = impact;
  const share = blockingBeforePaint(impact);
  lines[0] += `; of the ${share.attributed} ms attributed to tasks, ${share.before} ms come from tasks that ran before the first paint`;
  const byGroup = new Map<string, number>();
  const byScript = new Map<string, number>();
  for (const task of tasks) {
    if (task.selfTbtImpact <= 0) continue;
    byGroup.set(task.group.label, (byGroup.get(task.group.label) ?? 0) + task.selfTbtImpact);
    const url = shortUrl(task.attributableURLs.at(-1));
    byScript.set(url, (byScript.get(url) ?? 0) + task.selfTbtImpact);
  }
  if (!byGroup.size) return lines;
  lines.push(`by kind: ${rounded(byGroup, 6)}`, `by source: ${rounded(byScript, 5)}`);
  const top = tasks.filter((task) => topLevel(task) && task.tbtImpact >= 1).sort((a, b) => b.tbtImpact - a.tbtImpact).slice(0, TOP_TASKS);
  const origin = Math.min(...tasks.map((task) => task.startTime));
  for (const task of top) {
    const inside = new Map<string, number>();
    // What ran inside, by kind; a script's calls by their function's name, so a task can be traced to its code.
    const label = ({ event }: TaskNode) => (event.args?.data?.functionName ? `${event.name} ${event.args.data.functionName}` : event.name);
    const walk = (node: TaskNode) => node.children.forEach((child) => (inside.set(label(child), (inside.get(label(child)) ?? 0) + child.selfTime), walk(child)));
    walk(task);
    lines.push(`task at ${Math.round(task.startTime - origin)} ms${beforePaint(task, firstPaint) ? ', before the first paint' : ''}: ${Math.round(task.tbtImpact)} ms blocking (observed ${Math.round(task.duration)} ms, ${shortUrl(task.attributableURLs.at(-1))}): ${rounded(inside, 5) || task.group.label}`);
  }
  return lines;
}

const server = spawn(process.execPath, ['scripts/serve-dist.mjs', '--port', String(PORT)], { stdio: ['ignore', 'pipe', 'inherit'] });
await new Promise<void>((ready, fail) => {
  server.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('Serving') && ready());
  server.on('exit', (code) => fail(new Error(`the static server exited with ${code}`)));
});

// chrome-launcher's own flags, with the browser UI's WebUI pages turned off in its --disable-features list
// (a second --disable-features would replace that list; see scripts/browser.mjs).
const chrome = await chromeLauncher.launch({
  chromePath: systemChromium(),
  ignoreDefaultFlags: true,
  chromeFlags: ['--headless=new', ...withFeaturesDisabled(chromeLauncher.Launcher.defaultFlags(), BROWSER_UI_FEATURES_OFF), ...CHROMIUM_ARGS],
});
const failures: string[] = [];
try {
  const categories = ['performance', 'accessibility', 'best-practices', 'seo'] as const;
  console.log(`audit: Lighthouse ${(await import('lighthouse/package.json', { with: { type: 'json' } })).default.version}, mobile preset, median of ${RUNS} run${RUNS === 1 ? '' : 's'} per page, load average ${loadavg()[0]!.toFixed(2)} (simulated throttling: a busy machine lowers the scores)\n`);
  console.log(`${'page'.padEnd(28)} ${categories.map((name) => name.padStart(15)).join('')}`);
  for (const target of targets) {
    const url = `http://127.0.0.1:${PORT}${base}${target}`;
    const results: RunnerResult[] = [];
    for (let run = 0; run < RUNS; run++) {
      const result = await lighthouse(url, { port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: [...categories] });
      results.push(result!);
    }
    const runs = results.map((result) => result.lhr);
    const scores = categories.map((name) => median(runs.map((lhr) => lhr.categories[name]!.score ?? 0)));
    // The run whose performance score is the median, for the details below.
    const medianRun = results.find((candidate) => (candidate.lhr.categories.performance!.score ?? 0) === scores[0]) ?? results[0]!;
    const lhr = medianRun.lhr;
    console.log(`${`/${target}`.padEnd(28)} ${scores.map((score) => score.toFixed(2).padStart(15)).join('')}`);
    categories.forEach((name, index) => {
      if (scores[index]! < THRESHOLDS[name]) {
        const audits = lhr.categories[name]!.auditRefs
          .filter((ref) => ref.weight > 0 && (lhr.audits[ref.id]!.score ?? 1) < 1)
          .map((ref) => `${ref.id} (${lhr.audits[ref.id]!.score})`);
        failures.push(`/${target} ${name} ${scores[index]!.toFixed(2)} < ${THRESHOLDS[name]}: ${audits.join(', ')}`);
      }
    });
    // Every run, in the order measured: the spread shows how much of a difference is the machine's noise.
    const each = (read: (lhr: (typeof runs)[number]) => string) => runs.map(read).join(' ');
    const impacts = await Promise.all(results.map((result) => impactTasks(result).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))))));
    const beforeFirstPaint = impacts.map((impact) => (impact instanceof Error ? '?' : shareText(blockingBeforePaint(impact))));
    console.log(`   runs: performance ${each((run) => (run.categories.performance!.score ?? 0).toFixed(2))}; total blocking time ${each((run) => String(Math.round(run.audits['total-blocking-time']!.numericValue ?? 0)))} ms; attributed to tasks that ran before the first paint ${beforeFirstPaint.join(' ')} ms`);
    // A run Lighthouse could not measure scores null, counted as 0 above (never skipped): say why.
    runs.forEach((run, index) => {
      const error = run.runtimeError ?? (run.categories.performance!.score === null ? { code: 'NO_SCORE', message: 'no performance score' } : undefined);
      if (error) console.log(`   run ${index + 1} not measured (counted as 0): ${error.code}: ${error.message}${impacts[index] instanceof Error ? `; trace: ${(impacts[index] as Error).message}` : ''}`);
    });
    for (const name of categories) {
      const below = lhr.categories[name]!.auditRefs.filter((ref) => ref.weight > 0 && (lhr.audits[ref.id]!.score ?? 1) < 1);
      if (below.length) console.log(`   ${name}: ${below.map((ref) => `${ref.id} ${lhr.audits[ref.id]!.displayValue ?? lhr.audits[ref.id]!.score}`).join('; ')}`);
    }
    for (const line of blockingReport(medianRun, impacts[results.indexOf(medianRun)]!)) console.log(`   ${line}`);
  }
} finally {
  await chrome.kill();
  server.kill();
}
console.log(`\naudit: load average at the end ${loadavg()[0]!.toFixed(2)}`);
if (failures.length) {
  console.error(`\naudit: FAILED\n${failures.map((failure) => `  - ${failure}`).join('\n')}`);
  process.exit(1);
}
console.log(`\naudit: every median score meets its threshold (${Object.entries(THRESHOLDS).map(([name, min]) => `${name} ${min}`).join(', ')})`);

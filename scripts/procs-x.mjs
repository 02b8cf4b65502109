import { chromium } from '@playwright/test';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', ...(process.env.X_ARGS ? process.env.X_ARGS.split(' ') : [])], headless: true });
const context = await browser.newContext({ viewport: { width: 412, height: 823 } });
const page = await context.newPage();
await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', '__metadata'] });
await page.goto(process.argv[2], { waitUntil: 'load' });
await page.waitForTimeout(1500);
const { traceEvents } = JSON.parse((await browser.stopTracing()).toString());
const names = new Map();
for (const e of traceEvents) if (e.name === 'process_name' || e.name === 'process_labels') names.set(e.pid, (names.get(e.pid) ?? '') + ' ' + JSON.stringify(e.args));
const urls = new Map();
for (const e of traceEvents) { const u = e.args?.data?.url || e.args?.data?.frames?.[0]?.url || e.args?.data?.documentLoaderURL; if (u && !urls.has(e.pid)) urls.set(e.pid, u); }
const busy = new Map();
for (const e of traceEvents) if (e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask') busy.set(e.pid, (busy.get(e.pid) ?? 0) + (e.dur ?? 0) / 1000);
for (const [pid, ms] of busy) console.log(pid, ms.toFixed(0), 'ms', names.get(pid), urls.get(pid));
const cb = traceEvents.filter((e) => JSON.stringify(e.args ?? {}).includes('composebox')).slice(0, 3);
for (const e of cb) console.log('composebox event pid', e.pid, e.name, JSON.stringify(e.args).slice(0, 300));
await browser.close();

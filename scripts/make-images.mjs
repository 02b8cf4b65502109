// Renders the social preview image (public/og.png, 1200x630) and the touch icon (public/apple-touch-icon.png)
// with Chromium. Run when the title or the look changes: node scripts/make-images.mjs. The outputs are committed.
import { chromium } from 'playwright';
import { readFileSync } from 'node:fs';
import { chromiumLaunchOptions } from './browser.mjs';

const icon = readFileSync(new URL('../public/favicon.svg', import.meta.url), 'utf8');
const og = `<!doctype html><html><body style="margin:0;width:1200px;height:630px;background:#0f0d2e;color:#fff;font-family:'Liberation Sans',Arial,sans-serif;display:flex;flex-direction:column;justify-content:center;padding:0 90px;box-sizing:border-box">
<div style="display:flex;gap:18px;margin-bottom:48px"><span style="width:110px;height:22px;border-radius:11px;background:#f472b6"></span><span style="width:170px;height:22px;border-radius:11px;background:#a78bfa"></span><span style="width:90px;height:22px;border-radius:11px;background:#22d3ee"></span></div>
<div style="font-size:84px;font-weight:700;letter-spacing:-1px">Bearer contract</div>
<div style="font-size:38px;line-height:1.35;margin-top:28px;color:#d4d4f7;max-width:1000px">Stateless JWT authentication between Better Auth (Next.js) and FastAPI: every rule, every 401 and 403, proven by vectors.</div>
</body></html>`;

const browser = await chromium.launch(chromiumLaunchOptions());
const page = await browser.newPage({ viewport: { width: 1200, height: 630 } });
await page.setContent(og);
await page.screenshot({ path: new URL('../public/og.png', import.meta.url).pathname });
await page.setViewportSize({ width: 180, height: 180 });
await page.setContent(`<!doctype html><html><body style="margin:0;width:180px;height:180px">${icon.replace('<svg ', '<svg width="180" height="180" ')}</body></html>`);
await page.screenshot({ path: new URL('../public/apple-touch-icon.png', import.meta.url).pathname, omitBackground: true });
await browser.close();
console.log('wrote public/og.png and public/apple-touch-icon.png');

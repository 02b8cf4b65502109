import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from './scripts/browser.mjs';

const PORT = Number(process.env.E2E_PORT || 4322);
const BASE = (process.env.BASE_PATH || '/').replace(/\/?$/, '/');

export default defineConfig({
  testDir: 'tests/e2e',
  fullyParallel: true,
  workers: 2,
  retries: 0,
  // axe on a long page takes several seconds on two cores; leave room without hiding real hangs.
  timeout: 60_000,
  forbidOnly: true,
  reporter: process.env.CI ? 'line' : 'list',
  use: {
    baseURL: `http://127.0.0.1:${PORT}${BASE}`,
    launchOptions: chromiumLaunchOptions(),
  },
  projects: [{ name: 'chromium', use: { browserName: 'chromium' } }],
  webServer: {
    // Serves the already built dist/ like a static host (the test command builds once before these tests).
    command: `node scripts/serve-dist.mjs --host 127.0.0.1 --port ${PORT}`,
    url: `http://127.0.0.1:${PORT}${BASE}`,
    reuseExistingServer: false,
    timeout: 60_000,
  },
});

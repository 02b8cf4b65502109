// The browser test of the whole chain (`npm test` runs it after `next build`): real Chromium against the
// stack that `npm run stack` starts (scripts/stack.mjs: FastAPI + the Next.js app with Better Auth), on
// spare ports, with a fresh database and a short token lifetime so the refresh before expiry can be seen.
//   playwright test --config tests/e2e-stack/playwright.config.ts
import { fileURLToPath } from 'node:url';
import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from '../../scripts/browser.mjs';

export const WEB_PORT = Number(process.env.STACK_E2E_WEB_PORT || 3917);
export const API_PORT = Number(process.env.STACK_E2E_API_PORT || 8917);
/** exp = iat + 70: the client (60 s margin) fetches a new token once its token is 10 s old. */
export const TOKEN_LIFETIME_SECONDS = 70;

const root = fileURLToPath(new URL('../../', import.meta.url));

export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 60_000,
  // Sign-up hashes a password (scrypt) and the app renders on demand: slow on two busy cores.
  expect: { timeout: 20_000 },
  forbidOnly: true,
  reporter: process.env.CI ? 'line' : 'list',
  use: {
    baseURL: `http://localhost:${WEB_PORT}`,
    launchOptions: chromiumLaunchOptions(),
  },
  projects: [{ name: 'chromium', use: { browserName: 'chromium' } }],
  webServer: {
    // setup already ran (npm test's pretest); the build is reused when it is up to date.
    command: 'node scripts/stack.mjs --no-setup --fresh-database',
    cwd: root,
    env: {
      WEB_PORT: String(WEB_PORT),
      API_PORT: String(API_PORT),
      DATABASE_PATH: 'test-results/e2e-stack/stack.sqlite',
      TOKEN_LIFETIME_SECONDS: String(TOKEN_LIFETIME_SECONDS),
      TOKEN_SOURCE: process.env.TOKEN_SOURCE || 'route',
      ADMIN_PASSWORD: 'test-only-admin-password',
    },
    url: `http://127.0.0.1:${WEB_PORT}/`,
    // Ready once the admin is seeded, not merely when the app answers.
    wait: { stdout: /\[stack\] ready/ },
    stdout: 'pipe',
    reuseExistingServer: false,
    // A next build may come first when the sources changed.
    timeout: 180_000,
    // SIGTERM lets the stack script stop uvicorn and next itself.
    gracefulShutdown: { signal: 'SIGTERM', timeout: 10_000 },
  },
});

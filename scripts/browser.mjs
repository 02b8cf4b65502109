// Which Chromium to drive (build-time diagrams, end-to-end tests, Lighthouse).
// A system Chromium wins (Debian's `chromium` package, or CHROMIUM_PATH); elsewhere Playwright's own
// browser is used, which `npx playwright install chromium` downloads on machines with internet.
// Playwright's headless runs prefer Debian's `chromium-headless-shell` (or CHROMIUM_HEADLESS_SHELL_PATH),
// the same headless shell Playwright itself uses for headless runs when it brings its own browser. The full
// browser in headless mode still builds its windows' UI: in every new window (Playwright opens one per test,
// Lighthouse one per browser) it loads the address bar's suggestion popup (chrome://omnibox-popup.top-chrome)
// in a renderer of its own, about 2 s of CPU beside the page under test. Lighthouse runs on the full browser
// (its recommended headless mode) with that popup turned off (BROWSER_UI_FEATURES_OFF).
import { existsSync } from 'node:fs';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
const HEADLESS_SHELL_CANDIDATES = ['/usr/bin/chromium-headless-shell'];

/** Absolute path of a system Chromium, or undefined to let Playwright use its own browser. */
export function systemChromium() {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv && existsSync(fromEnv)) return fromEnv;
  return CANDIDATES.find((path) => existsSync(path));
}

/** Absolute path of a system Chromium headless shell, or undefined. */
export function systemHeadlessShell() {
  const fromEnv = process.env.CHROMIUM_HEADLESS_SHELL_PATH;
  if (fromEnv && existsSync(fromEnv)) return fromEnv;
  return HEADLESS_SHELL_CANDIDATES.find((path) => existsSync(path));
}

/** Flags that keep Chromium quiet and working as root in containers and on closed networks. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Features of the full browser's own UI that load WebUI pages beside the page under test (see above). */
export const BROWSER_UI_FEATURES_OFF = ['WebUIOmniboxPopup', 'WebUIOmniboxFullPopup', 'WebUIOmniboxAimPopup'];

/**
 * Adds features to a flag list's --disable-features. Chromium keeps only the last --disable-features switch,
 * so a second one would silently drop the first list: the names are merged into the existing switch.
 */
export function withFeaturesDisabled(flags, features) {
  const prefix = '--disable-features=';
  const index = flags.findIndex((flag) => flag.startsWith(prefix));
  if (index === -1) return [...flags, prefix + features.join(',')];
  const merged = [...new Set([...flags[index].slice(prefix.length).split(',').filter(Boolean), ...features])];
  return flags.map((flag, at) => (at === index ? prefix + merged.join(',') : flag));
}

/** Launch options for Playwright's chromium.launch() (headless). */
export function chromiumLaunchOptions() {
  // A CHROMIUM_PATH that exists names the browser to use, so it wins over the headless shell.
  const named = process.env.CHROMIUM_PATH;
  const executablePath = (named && existsSync(named) ? named : undefined) ?? systemHeadlessShell() ?? systemChromium();
  return executablePath ? { executablePath, args: CHROMIUM_ARGS } : { args: CHROMIUM_ARGS };
}

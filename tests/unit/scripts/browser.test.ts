// scripts/browser.mjs: which Chromium the headless runs use, and how the browser UI's features are turned off
// without dropping the launcher's own --disable-features list.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BROWSER_UI_FEATURES_OFF, chromiumLaunchOptions, withFeaturesDisabled } from '../../../scripts/browser.mjs';

describe('withFeaturesDisabled', () => {
  it('merges into the existing --disable-features switch, keeping its names and every other flag', () => {
    const flags = ['--mute-audio', '--disable-features=Translate,MediaRouter', '--no-first-run'];
    const result = withFeaturesDisabled(flags, ['WebUIOmniboxPopup', 'Translate']);
    expect(result).toEqual(['--mute-audio', '--disable-features=Translate,MediaRouter,WebUIOmniboxPopup', '--no-first-run']);
    expect(result.filter((flag: string) => flag.startsWith('--disable-features'))).toHaveLength(1);
    expect(flags[1]).toBe('--disable-features=Translate,MediaRouter');
  });

  it('adds the switch when there is none', () => {
    expect(withFeaturesDisabled(['--no-sandbox'], BROWSER_UI_FEATURES_OFF)).toEqual([
      '--no-sandbox',
      `--disable-features=${BROWSER_UI_FEATURES_OFF.join(',')}`,
    ]);
  });
});

describe('chromiumLaunchOptions', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('prefers the headless shell for headless runs', () => {
    vi.stubEnv('CHROMIUM_PATH', '');
    vi.stubEnv('CHROMIUM_HEADLESS_SHELL_PATH', process.execPath);
    expect(chromiumLaunchOptions().executablePath).toBe(process.execPath);
  });

  it('uses the browser CHROMIUM_PATH names over the headless shell', () => {
    // Two files that exist: the one CHROMIUM_PATH names wins.
    vi.stubEnv('CHROMIUM_PATH', process.execPath);
    vi.stubEnv('CHROMIUM_HEADLESS_SHELL_PATH', '/bin/sh');
    expect(chromiumLaunchOptions().executablePath).toBe(process.execPath);
  });

  it('keeps the headless shell when CHROMIUM_PATH names no file', () => {
    vi.stubEnv('CHROMIUM_PATH', '/nonexistent/chromium');
    vi.stubEnv('CHROMIUM_HEADLESS_SHELL_PATH', process.execPath);
    expect(chromiumLaunchOptions().executablePath).toBe(process.execPath);
  });
});

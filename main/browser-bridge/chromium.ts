import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium, driven by playwright-core (toolchain notes §3). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * `handleSignals: false` leaves Ctrl-C and SIGTERM to the caller (npm start closes the bridge and its
 * temporary data first); by default Playwright closes the browser and exits with 130 on its own.
 */
export function launchChromium(opts: { headless?: boolean; handleSignals?: boolean } = {}): Promise<Browser> {
  const headless = opts.headless ?? true;
  const handleSignals = opts.handleSignals ?? true;
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless,
    handleSIGINT: handleSignals,
    handleSIGTERM: handleSignals,
    handleSIGHUP: handleSignals,
    args: headless ? CHROMIUM_ARGS : CHROMIUM_ARGS.filter((a) => a !== '--headless'),
  });
}

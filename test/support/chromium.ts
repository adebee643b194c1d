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

export function launchChromium(opts: { headless?: boolean } = {}): Promise<Browser> {
  const headless = opts.headless ?? true;
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless,
    args: headless ? CHROMIUM_ARGS : CHROMIUM_ARGS.filter((a) => a !== '--headless'),
  });
}

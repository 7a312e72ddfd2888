// Debian's chromium driven by playwright-core (a downloaded browser cannot be installed here), started as this
// machine needs it: headless, no sandbox (root), and none of the background connections its closed network refuses.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

const CHROMIUM = '/usr/bin/chromium';

/** A fresh profile in a temporary folder (the caller removes `profile`) and a browser context on it. */
export async function launchChromium(
  name: string,
  viewport: { width: number; height: number },
): Promise<{ context: BrowserContext; profile: string }> {
  const profile = mkdtempSync(join(tmpdir(), `${name}-chromium-`));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport,
  });
  return { context, profile };
}

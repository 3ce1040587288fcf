import fs from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** Debian's chromium package: the tests drive it through playwright-core and never download a browser. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Starts headless Chromium; a missing browser fails the suite with the install hint, it never skips. */
export async function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}. The browser tests need Debian's package: ` +
        '`apt-get update && apt-get install -y chromium` (.ci/run does this). No browser is downloaded.',
    );
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, timeout: 30_000 });
}

export async function closeBrowser(browser: Browser | undefined): Promise<void> {
  await browser?.close();
}

export interface WatchedPage {
  context: BrowserContext;
  page: Page;
  /** uncaught exceptions, Content-Security-Policy violations and requests that left loopback */
  problems: string[];
}

/**
 * A fresh context (own sessionStorage, the given width, browser language and time zone) whose page may reach
 * loopback only: any other request is aborted and reported, like the net guard does for node.
 */
export async function openPage(browser: Browser, options: { width?: number; locale?: string; timezoneId?: string } = {}): Promise<WatchedPage> {
  const context = await browser.newContext({ viewport: { width: options.width ?? 1320, height: 900 }, locale: options.locale ?? 'en-GB', timezoneId: options.timezoneId ?? 'UTC' });
  const problems: string[] = [];
  await context.route('**/*', async (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === '127.0.0.1' || url.hostname === 'localhost') return route.continue();
    problems.push(`page tried to reach ${url.href}`);
    return route.abort('blockedbyclient');
  });
  const page = await context.newPage();
  page.on('pageerror', (err) => problems.push(`uncaught in page: ${err.message}`));
  page.on('console', (msg) => {
    if (/Content Security Policy/i.test(msg.text())) problems.push(`CSP: ${msg.text()}`);
  });
  return { context, page, problems };
}

/** Signs in to the web inbox at `base` with a token (a `Bearer ` prefix is dropped) and waits until it is ready. */
export async function signInToInbox(page: Page, base: string, token: string): Promise<void> {
  await page.goto(`${base}/dashboard/inbox`);
  await page.fill('#token', token.replace(/^Bearer /, ''));
  await page.click('#login-submit');
  await page.waitForSelector('body[data-state="ready"]');
}

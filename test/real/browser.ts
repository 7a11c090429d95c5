// The browser get-key opens in the oidc tests: Debian's headless Chromium driven by
// playwright-core. get-key's $BROWSER is a small script that hands the URL to this process (an
// HTTP request to a loopback port); each URL is then opened in a new Chromium with a new empty
// profile, which logs in at the provider (the login form, then consent) and follows the redirect
// to get-key's callback.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const CHROMIUM = '/usr/bin/chromium';

export interface VisitResult {
  /** The URL the browser ended on (get-key's callback) and the text of that page. */
  url: string;
  status: number | undefined;
  text: string;
}

export interface TestBrowser {
  /** The $BROWSER value for get-key. */
  command: string;
  /** Every URL get-key asked to open, in order. */
  opened: string[];
  /** The visits started so far (one per opened URL), to await their ends. */
  visits: Array<Promise<VisitResult>>;
  /** The next opened URL, without visiting it (for tests that answer the callback themselves). */
  holdNext(): Promise<string>;
  close(): Promise<void>;
}

export interface BrowserOptions {
  /** The provider login typed into the form. */
  login: string;
}

/** Loads a page in a fresh Chromium profile and completes the provider's login and consent. */
export async function visit(url: string, login: string): Promise<VisitResult> {
  const { chromium } = await import('playwright-core');
  const profile = mkdtempSync(join(tmpdir(), 'get-key-chromium-'));
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
  });
  try {
    // Nothing leaves the machine (the provider's pages import a web font).
    await context.route(/^(?!https?:\/\/(127\.0\.0\.1|localhost)[:/])/, (route) => route.abort());
    const page = await context.newPage();
    page.setDefaultTimeout(60_000);
    await page.goto(url);
    await page.fill('input[name="login"]', login);
    await page.fill('input[name="password"]', 'any');
    await page.click('button:has-text("Sign-in")');
    const callback = page.waitForResponse((r) => /\/oidc\/callback\?/.test(r.url()));
    await page.click('button:has-text("Continue")'); // consent
    const res = await callback;
    await page.waitForLoadState();
    return { url: res.url(), status: res.status(), text: await page.innerText('body') };
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

export async function startTestBrowser(options: BrowserOptions): Promise<TestBrowser> {
  const dir = mkdtempSync(join(tmpdir(), 'get-key-browser-'));
  const opened: string[] = [];
  const visits: Array<Promise<VisitResult>> = [];
  const held: Array<(url: string) => void> = [];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x').searchParams.get('url') ?? '';
    opened.push(url);
    res.end('ok');
    const hold = held.shift();
    if (hold) hold(url);
    else visits.push(visit(url, options.login));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as { port: number }).port;
  const command = join(dir, 'open-browser');
  // The opener get-key starts: hands the URL over and exits at once, like xdg-open.
  writeFileSync(
    command,
    `#!${process.execPath}\nfetch('http://127.0.0.1:${port}/open?url=' + encodeURIComponent(process.argv[2] ?? '')).then(() => process.exit(0), () => process.exit(1));\n`,
    { mode: 0o755 },
  );
  return {
    command,
    opened,
    visits,
    holdNext: () => new Promise<string>((resolve) => held.push(resolve)),
    async close() {
      await Promise.allSettled(visits);
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expect } from 'vitest';

const run = promisify(execFile);

/** Debian's chromium package (`.ci/run` installs it when missing). */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Where the screenshots of each page are kept for review (gitignored). */
export const OUTPUT = join('test-output', 'console');

/**
 * Whether the browser tests can run. Without chromium they fail loudly in CI (CI=true), where
 * `.ci/run` installs it, and are skipped elsewhere with a message saying how to get it.
 */
export function browserAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.CI === 'true') {
    throw new Error(`The browser tests need chromium at ${CHROMIUM}, and CI must have it: apt-get install -y chromium`);
  }
  console.warn(
    `Skipping the console's browser tests: no chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH).`,
  );
  return false;
}

/** Builds the console from its sources into a folder of the test's own (never dist/ or console/dist). */
export async function buildConsole(): Promise<{ dir: string; remove: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), 'tandem-console-'));
  await run(
    process.execPath,
    ['node_modules/vite/bin/vite.js', 'build', 'console', '--outDir', dir, '--emptyOutDir', '--logLevel', 'error'],
    {
      timeout: 180_000,
    },
  );
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
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
    timeout: 120_000,
  });
}

/** A page at 1280×800 (the console's target desktop size), with generous waits for a busy machine. */
export async function newPage(browser: Browser, viewport = { width: 1280, height: 800 }): Promise<Page> {
  const context = await browser.newContext({ viewport, locale: 'en-GB', timezoneId: 'Europe/London', acceptDownloads: true });
  const page = await context.newPage();
  // The console's own errors, in the test's output.
  page.on('pageerror', (error) => console.error(`[console page error] ${error.message}`));
  page.on('response', (response) => {
    if (response.status() >= 400) {
      void response.text().then(
        (body) => console.error(`[console] HTTP ${response.status()} ${response.url()}: ${body.slice(0, 500)}`),
        () => undefined,
      );
    }
  });
  page.on('console', (message) => {
    if (message.type() === 'error') console.error(`[console] ${message.text()}`);
  });
  page.setDefaultTimeout(45_000);
  page.setDefaultNavigationTimeout(60_000);
  return page;
}

/** Polls until the value passes the matcher: generous, for a busy machine (never a fixed sleep). */
export function until<T>(value: () => Promise<T> | T) {
  return expect.poll(value, { timeout: 60_000, interval: 250 });
}

/** Development sign-in as a demo user, from the console's sign-in page. */
export async function signIn(page: Page, baseUrl: string, name: string, path = '/console/disclosures'): Promise<void> {
  await page.goto(`${baseUrl}${path}`);
  await page.getByRole('button', { name: new RegExp(`^${name}`) }).click();
  await until(() => page.getByText(`Signed in as ${name}`).count()).toBe(1);
}

/** Axe (WCAG 2.1 A and AA): no serious or critical violation. */
export async function expectAccessible(page: Page, what: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const grave = results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(
      (violation) =>
        `${violation.id} (${violation.impact}): ${violation.help} — ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`,
    );
  expect(grave, `${what}: axe violations`).toEqual([]);
}

export async function screenshot(page: Page, name: string, fullPage = true): Promise<string> {
  mkdirSync(OUTPUT, { recursive: true });
  const path = join(OUTPUT, `${name}.png`);
  await page.screenshot({ path, fullPage });
  return path;
}

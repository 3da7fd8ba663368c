/** Debian's Chromium driven by playwright-core (no browser download); missing Chromium fails CI, skips elsewhere. */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const SCREENSHOTS = join(process.cwd(), 'test-output', 'screenshots');
export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

/** Whether browser suites can run here; under CI a missing Chromium is a broken run, not a skip. */
export function chromiumAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.CI === 'true') {
    throw new Error(`${CHROMIUM} is required in CI (install it with: apt-get install -y chromium)`);
  }
  console.warn(`[web tests] ${CHROMIUM} not found: browser tests are skipped (apt-get install -y chromium)`);
  return false;
}

/**
 * The flags keep Chromium off the network it cannot reach here (background services, updates, sync)
 * and let it run as root in a container; playwright gives each launch a fresh temporary profile.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    timeout: 30_000,
  });
}

/** A full-page screenshot at a width, named for the page and the width. */
export async function screenshot(
  page: Page,
  name: string,
  size: { width: number; height: number },
): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.setViewportSize(size);
  const label = size.width === PHONE.width ? 'phone' : 'desktop';
  const path = join(SCREENSHOTS, `${name}-${label}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Signs in with an API key through the form's key section, and waits for the role's first page. */
export async function signIn(page: Page, baseUrl: string, key: string, landing: RegExp): Promise<void> {
  await page.goto(`${baseUrl}/`);
  await page.getByText(/改用 API 密钥登录|Sign in with an API key instead/).click();
  await page.getByLabel(/API 密钥|API key/).fill(key);
  await page.getByRole('button', { name: /用密钥登录|Sign in with the key/ }).click();
  await page.waitForURL(landing);
}

/** Signs a person in with name and password, as they would, and waits for the role's first page. */
export async function signInPerson(
  page: Page,
  baseUrl: string,
  name: string,
  password: string,
  landing: RegExp,
): Promise<void> {
  await page.goto(`${baseUrl}/`);
  await page.getByLabel(/^(用户名|Name)$/).fill(name);
  await page.getByLabel(/^(密码|Password)$/).fill(password);
  await page.getByRole('button', { name: /^(登录|Sign in)$/ }).click();
  await page.waitForURL(landing);
}

/** People in Chromium: each demo role signs in from what `npm start` printed, and stays signed in across tabs. */
import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoProcess, readCredentials, startDemo } from '../cli/demo-process.js';
import { chromiumAvailable, launchChromium, PHONE, screenshot, signIn, signInPerson } from './browser.js';

const UI_TIMEOUT = 15_000;

describe.runIf(chromiumAvailable())('people signing in to the demo', () => {
  let demo: DemoProcess;
  let browser: Browser;

  beforeAll(async () => {
    [demo, browser] = await Promise.all([startDemo(), launchChromium()]);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await demo?.stop();
  });

  it('signs in as admin, planner and a county operator with the printed names and passwords, and with the keys', async () => {
    const landing: Record<string, RegExp> = {
      admin: /\/alerts$/,
      viewer: /\/coverage$/,
      operator: /\/alerts$/,
    };
    expect(demo.accounts.map((a) => a.role).sort()).toEqual(['admin', 'operator', 'viewer']);
    for (const a of demo.accounts) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await signInPerson(page, demo.httpUrl, a.user, a.password, landing[a.role]!);
      await expect.poll(() => page.locator('#who').textContent(), { timeout: UI_TIMEOUT }).toContain(a.user);
      await context.close();
      const keyed = await browser.newContext();
      const keyPage = await keyed.newPage();
      await signIn(keyPage, demo.httpUrl, a.key, landing[a.role]!);
      await keyed.close();
    }
    // A county operator from the credentials file signs in too, and sees only their county.
    const row = readCredentials(readFileSync(demo.credentialsFile, 'utf8')).find(
      (r) => r.counties === 'xiji',
    )!;
    const context = await browser.newContext();
    const page = await context.newPage();
    await signInPerson(page, demo.httpUrl, row.user, row.password, /\/alerts$/);
    const session = await page.evaluate(() => fetch('/ui/session').then((r) => r.json()));
    expect(session).toMatchObject({ keyId: 'xiji-operator', role: 'operator', person: true });
    expect((session as { counties: { id: string }[] }).counties.map((c) => c.id)).toEqual(['xiji']);
    await context.close();
  }, 120_000);

  it('refuses a wrong password with a message and keeps the person on the sign-in page', async () => {
    const page = await browser.newPage();
    await page.goto(`${demo.httpUrl}/`);
    await page.getByLabel(/^(用户名|Name)$/).fill('admin');
    await page.getByLabel(/^(密码|Password)$/).fill('not the password');
    await page.getByRole('button', { name: /^(登录|Sign in)$/ }).click();
    await expect
      .poll(() => page.locator('#person-error').textContent(), { timeout: UI_TIMEOUT })
      .toMatch(/密码错误|wrong password/);
    expect(new URL(page.url()).pathname).toBe('/');
    await page.close();
  });

  it('keeps a person signed in in a new tab and after a reload, and signs every tab out everywhere', async () => {
    const op = demo.accounts.find((a) => a.role === 'operator')!;
    const phone = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true });
    const first = await phone.newPage();
    await signInPerson(first, demo.httpUrl, op.user, op.password, /\/alerts$/);
    const cookie = (await phone.cookies()).find((c) => c.name === 'wl_session')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    expect(await first.evaluate(() => document.cookie)).not.toContain('wl_session');
    // A new tab starts with empty sessionStorage: only the cookie can sign it in.
    const second = await phone.newPage();
    await second.goto(`${demo.httpUrl}/devices`);
    await expect.poll(() => second.locator('#who').textContent(), { timeout: UI_TIMEOUT }).toContain(op.user);
    expect(new URL(second.url()).pathname).toBe('/devices');
    await second.reload();
    await expect.poll(() => second.locator('#who').textContent(), { timeout: UI_TIMEOUT }).toContain(op.user);
    await screenshot(second, 'signed-in', PHONE);
    // A desk elsewhere, then sign-out everywhere from the phone.
    const desk = await browser.newContext();
    const deskPage = await desk.newPage();
    await signInPerson(deskPage, demo.httpUrl, op.user, op.password, /\/alerts$/);
    await second.getByRole('button', { name: /在所有设备上退出|Sign out everywhere/ }).click();
    await second.waitForURL(/\/$/);
    await deskPage.goto(`${demo.httpUrl}/alerts`);
    await deskPage.waitForURL(/\/\?next=/, { timeout: UI_TIMEOUT });
    await first.reload();
    await first.waitForURL(/\/\?next=/, { timeout: UI_TIMEOUT });
    await desk.close();
    await phone.close();
  }, 60_000);
});

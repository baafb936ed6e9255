/**
 * Accounts in a real browser against the embedded platform (API + built web app on one origin):
 * register → sign out → sign in → edit profile and avatar → the public artist page, plus the
 * emailed verification link (read from DATA_DIR/mail, as an operator without SMTP would).
 * Screenshots land in screenshots/accounts-*.png.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { simpleParser } from 'mailparser';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openContext, screenshot } from '../support/browser.ts';
import { collectErrors, type ExpectedFailure, type PageErrors } from '../support/page-errors.ts';
import { reportPagesOnFailure } from '../support/page-report.ts';
import { startPlatform, type RunningPlatform } from './platform-fixture.ts';

let platform: RunningPlatform;
let browser: Browser;
let page: Page;
let errors: PageErrors;
let tmp: string;

reportPagesOnFailure();

/** Asked who is signed in, when nobody is. */
const SIGNED_OUT: ExpectedFailure = { url: '/api/v1/auth/me', status: 401 };

beforeAll(async () => {
  platform = await startPlatform();
  browser = await launchBrowser();
  tmp = await mkdtemp(path.join(os.tmpdir(), 'earshot-accounts-browser-'));
  const context = await openContext(browser);
  page = await context.newPage();
  // Each step that provokes a failing request says which one (errors.expectFailure).
  errors = collectErrors(page);
});

afterAll(async () => {
  await browser?.close();
  await platform?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

const account = () => page.getByRole('navigation', { name: 'Account' });

/** Clicks the button named `button` while the API refuses the request (`failure`); the text of `error` once it shows. */
async function refused(failure: ExpectedFailure, button: string, error: string): Promise<string | null> {
  errors.expectFailure(failure);
  await page.getByRole('button', { name: button }).click();
  const shown = page.locator(error);
  await shown.waitFor();
  return shown.textContent();
}

describe('accounts in the browser', () => {
  it('registers an artist, showing the server’s errors next to their fields', async () => {
    await page.goto(`${platform.base}/register`);
    // Interact once React has hydrated the form (its submit button is disabled until then).
    await page.locator('[data-testid="register-form"][data-hydrated]').waitFor();
    await page.getByText('Publish my music').click();
    await page.getByLabel('Email').fill('nadia@example.test');
    await page.getByLabel('Handle').fill('Settings');
    await page.getByLabel('Display name').fill('Nadia Okafor');
    await page.getByLabel('Password').fill('password123');
    // A reserved handle, then a common password: refused by the API.
    const refusedRegistration = { url: '/api/v1/auth/register', status: 400 };
    expect(await refused(refusedRegistration, 'Create account', '[data-field-error="handle"]')).toMatch(/reserved/);
    await screenshot(page, 'accounts-register-errors', { fullPage: false });

    await page.getByLabel('Handle').fill('nadia');
    expect(await refused(refusedRegistration, 'Create account', '[data-field-error="password"]')).toMatch(
      /most common/,
    );
    expect(await page.locator('[data-field-error="handle"]').count()).toBe(0);

    await page.getByLabel('Password').fill('lanterns over the harbour');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL(`${platform.base}/upload`);
    await account().getByTestId('account-menu').waitFor();
    expect(await account().getByTestId('account-menu').textContent()).toContain('Nadia Okafor');
    await screenshot(page, 'accounts-registered', { fullPage: false });
  });

  it('confirms the email with the link from the mail (no SMTP: written under DATA_DIR/mail)', async () => {
    const dir = path.join(platform.dataDir, 'mail');
    const file = (await readdir(dir)).find((f) => f.endsWith('-nadia@example.test.eml'))!;
    const mail = await simpleParser(await readFile(path.join(dir, file)));
    const link = new URL(/http:\/\/\S+\/verify-email\?token=[\w%-]+/.exec(mail.text ?? '')![0]);
    await page.goto(`${platform.base}${link.pathname}${link.search}`);
    await page.getByTestId('email-verified').waitFor();
  });

  it('signs out from the header menu', async () => {
    await account().getByTestId('account-menu').click();
    await account().getByRole('button', { name: 'Sign out' }).click();
    await account().getByRole('link', { name: 'Sign in' }).waitFor();
    await page.waitForURL(`${platform.base}/`);
    errors.expectFailure(SIGNED_OUT);
    const me = await page.evaluate(async () => (await fetch('/api/v1/auth/me')).status);
    expect(me).toBe(401);
  });

  it('signs in (a wrong password first)', async () => {
    await account().getByRole('link', { name: 'Sign in' }).click();
    await page.waitForURL(`${platform.base}/login`);
    await page.locator('[data-testid="login-form"][data-hydrated]').waitFor();
    await page.getByLabel('Email').fill('NADIA@example.test');
    await page.getByLabel('Password').fill('lanterns over the harbor');
    expect(await refused({ url: '/api/v1/auth/login', status: 401 }, 'Sign in', '.form__error')).toMatch(
      /email address or password is wrong/,
    );
    await screenshot(page, 'accounts-login-error', { fullPage: false });
    await page.getByLabel('Password').fill('lanterns over the harbour');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${platform.base}/`);
    await account().getByTestId('account-menu').waitFor();
  });

  it('edits the profile and the avatar in settings', async () => {
    await account().getByTestId('account-menu').click();
    await account().getByRole('link', { name: 'Settings' }).click();
    await page.waitForURL(`${platform.base}/settings`);
    const profile = page.getByTestId('profile-form');
    await profile.waitFor();
    await profile.getByLabel('Handle').fill('admin');
    errors.expectFailure({ url: '/api/v1/me', status: 400 });
    await profile.getByRole('button', { name: 'Save profile' }).click();
    await profile.locator('[data-field-error="handle"]').waitFor();
    await screenshot(page, 'accounts-settings-error', { fullPage: false });

    await profile.getByLabel('Handle').fill('nadia-okafor');
    await profile.getByLabel('Display name').fill('Nadia O.');
    await profile
      .getByLabel('Bio')
      .fill('Field recordings and slow synths from Lagos.\n<script>alert("not run")</script>');
    await profile.getByRole('button', { name: 'Save profile' }).click();
    await profile.getByText('Profile saved.').waitFor();
    expect(await account().getByTestId('account-menu').textContent()).toContain('Nadia O.');

    const png = path.join(tmp, 'portrait.png');
    await writeFile(
      png,
      await sharp({ create: { width: 640, height: 480, channels: 3, background: '#1f6f8b' } })
        .composite([
          {
            input: Buffer.from(
              '<svg width="640" height="480"><circle cx="320" cy="240" r="170" fill="#ffb45e"/></svg>',
            ),
          },
        ])
        .png()
        .toBuffer(),
    );
    await page.getByTestId('avatar-input').setInputFiles(png);
    await page.getByText('Avatar updated.').waitFor();
    await page.locator('.avatar-editor img.avatar').waitFor();
    await screenshot(page, 'accounts-settings', { fullPage: true });

    // Something that is not an image: the error shows under the avatar.
    const fake = path.join(tmp, 'fake.png');
    await writeFile(fake, '<html>not an image</html>');
    errors.expectFailure({ url: '/api/v1/me/avatar', status: 422 });
    await page.getByTestId('avatar-input').setInputFiles(fake);
    await page.locator('[data-field-error="avatar"]').waitFor();
  });

  it('shows the public artist page with the new profile', async () => {
    await page.goto(`${platform.base}/nadia-okafor`);
    await page.getByTestId('profile-name').waitFor();
    expect(await page.getByTestId('profile-name').textContent()).toBe('Nadia O.');
    expect(await page.getByTestId('profile-bio').textContent()).toContain('<script>alert("not run")</script>');
    await page.locator('.profile-header img.avatar').waitFor();
    await screenshot(page, 'accounts-artist-page', { fullPage: false });
    // An unknown handle is a real 404 from the server (search engines, link checkers), with the not-found page.
    errors.expectFailure({ url: '/nobody-by-this-name', status: 404 });
    const missing = await page.goto(`${platform.base}/nobody-by-this-name`);
    expect(missing?.status()).toBe(404);
    await page.getByText('This page is out of earshot').waitFor();
  });

  it('hydrates every page, signed out and with nothing cached, without a server/client mismatch', async () => {
    // One load each, in a fresh context: any error fails, React's hydration mismatch (#418) included.
    // Measured over 20 loads of each page after the move to Next.js 16: see docs/testing.md, "Hydration checks".
    const pages: [string, ExpectedFailure[]][] = [
      ['/', []],
      ['/login', []],
      ['/register?role=artist', []],
      ['/forgot-password', []],
      ['/reset-password?token=abc', []],
      ['/verify-email?token=abc', [{ url: '/api/v1/auth/verify-email', status: 400 }]],
      ['/settings', []],
      // The upload page asks the API who is signed in.
      ['/upload', [SIGNED_OUT]],
      ['/nadia-okafor', []],
      ['/nobody-by-this-name', [{ url: '/nobody-by-this-name', status: 404 }]],
    ];
    for (const [route, expected] of pages) {
      const context = await openContext(browser);
      const fresh = await context.newPage();
      const found = collectErrors(fresh, expected);
      await fresh.goto(`${platform.base}${route}`, { waitUntil: 'networkidle' });
      // Next.js marks the end of hydration by inserting its route announcer.
      await fresh.locator('next-route-announcer').waitFor({ state: 'attached' });
      await context.close();
      expect({ route, errors: found.list }).toEqual({ route, errors: [] });
    }
  });

  it('ran without page errors (each expected failure named by its URL and status)', () => {
    expect(errors.list).toEqual([]);
  });
});

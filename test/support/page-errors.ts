/**
 * What went wrong on a page, for asserting that it ran cleanly: uncaught exceptions, console errors
 * (React's hydration mismatch #418 included: nothing is dropped by kind) and HTTP error answers.
 *
 * A request a test makes fail on purpose is named by its URL and status (`expectFailure`), never by a
 * status alone: "any 404 is fine" would also let a missing JavaScript chunk or stylesheet pass.
 */
import type { Page, Response } from 'playwright-core';

/** A request expected to answer `status`. A string is the URL's path and query (`/api/v1/auth/me`); a RegExp is tested on the full URL. */
export interface ExpectedFailure {
  url: string | RegExp;
  status: number;
}

export interface PageErrors {
  /** Everything unexpected so far, in order, each with the page URL it happened on. */
  readonly list: string[];
  /** From now on, also allows this failing request (call it before the step that provokes it); any other stays an error. */
  expectFailure(failure: ExpectedFailure): void;
}

function matches(failure: ExpectedFailure, url: string, status: number): boolean {
  if (failure.status !== status) return false;
  if (failure.url instanceof RegExp) return failure.url.test(url);
  const u = new URL(url);
  return `${u.pathname}${u.search}` === failure.url;
}

/** Chromium's console line for a failed subresource: "Failed to load resource: the server responded with a status of 404 (Not Found)". */
const FAILED_RESOURCE = /^Failed to load resource: the server responded with a status of (\d{3})\b/;

export function collectErrors(page: Page, expected: ExpectedFailure[] = []): PageErrors {
  const allowed = [...expected];
  const list: string[] = [];
  const isExpected = (url: string, status: number) => allowed.some((f) => matches(f, url, status));
  const on = () => ` (on ${page.url()})`;

  page.on('pageerror', (err) => list.push(`pageerror: ${err.message}${on()}`));
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const where = msg.location().url;
    const failed = FAILED_RESOURCE.exec(msg.text());
    if (failed && where && isExpected(where, Number(failed[1]))) return;
    list.push(`console: ${msg.text()}${where ? ` [${where}]` : ''}${on()}`);
  });
  // Also from the network side (with the method), in case the console leaves a failure out.
  page.on('response', (res: Response) => {
    if (res.status() < 400 || isExpected(res.url(), res.status())) return;
    list.push(`response: ${res.status()} ${res.request().method()} ${res.url()}${on()}`);
  });
  return {
    list,
    expectFailure: (failure) => void allowed.push(failure),
  };
}

/** React's hydration mismatch as a production build reports it: the first client render did not match the server's HTML. */
export function isHydrationMismatch(error: string): boolean {
  return /Minified React error #418\b/.test(error);
}

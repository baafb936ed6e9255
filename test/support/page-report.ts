/**
 * When a browser test fails, what its pages looked like: for every page still open (of contexts made by
 * `openContext`), a screenshot, the URL it was on and everything its console said.
 */
import { afterEach } from 'vitest';
import { screenshot } from './browser.ts';
import { CONSOLE_LINES, consoleOf, openPages } from './page-watch.ts';

/**
 * Registers an `afterEach` that, when the test failed, adds an error listing each open page: its URL,
 * the path of a fresh screenshot and its console. Call once at the top of a browser test file.
 */
export function reportPagesOnFailure(): void {
  afterEach(async (ctx) => {
    if (ctx.task.result?.state !== 'fail' || openPages.size === 0) return;
    const reports: string[] = [];
    let n = 0;
    for (const page of openPages) {
      n++;
      const shot = await screenshot(page, `failed-${ctx.task.name}-${n}`, { fullPage: false }).catch(
        (err: Error) => `(none: ${err.message})`,
      );
      const lines = consoleOf(page);
      const head = `console (${lines.length}${lines.length === CONSOLE_LINES ? ', the last ones' : ''}):`;
      reports.push([`page ${n}: ${page.url()}`, `screenshot: ${shot}`, head, ...lines.map((l) => `  ${l}`)].join('\n'));
    }
    throw new Error(`what the browser showed when "${ctx.task.name}" failed:\n\n${reports.join('\n\n')}`);
  });
}

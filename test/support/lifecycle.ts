/** The end of a test file's life: what its `beforeAll` opened is closed once its tests are done. */
import { afterAll } from 'vitest';

/**
 * Closes each in the order given (a browser before the platform it talks to) after the file's
 * tests; one still unset because `beforeAll` failed before opening it is passed over.
 */
export function closeAfterAll(...opened: Array<() => { close(): unknown } | undefined>): void {
  afterAll(async () => {
    for (const get of opened) await get()?.close();
  });
}

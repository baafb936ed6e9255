/** The end of a test file's life: what its `beforeAll` opened is closed once its tests are done. */
import type { Server } from 'node:http';
import { afterAll } from 'vitest';

type Closable = { close(): unknown } | undefined;

/**
 * Closes what `opened()` lists, in that order (a browser before the platform it talks to), after
 * the file's tests; one still unset because `beforeAll` failed before opening it is passed over.
 */
export function closeAfterAll(opened: () => Closable[]): void {
  afterAll(async () => {
    for (const thing of opened()) await thing?.close();
  });
}

/** An HTTP server as `closeAfterAll` takes it: its close waits until the server has closed. */
export function closableServer(server: Server | undefined): Closable {
  return server && { close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

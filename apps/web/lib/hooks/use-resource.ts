'use client';
/**
 * THE way a component reads from the API: one effect that fetches, aborts when the component goes
 * or the key changes, ignores what arrives after that, and tells "not found" from other failures.
 *
 *   const track = useResource(`track:${handle}/${slug}`, (signal) =>
 *     ok(api.GET('/api/v1/users/{handle}/tracks/{slug}', { params: { path: { handle, slug } }, signal })).then((b) => b.track),
 *     { initial, notFound: true });
 *
 * `key` names what is read: a new key reads again, `null` reads nothing. `initial` (from the server's
 * HTML) is shown without a request until `retry()`. With `notFound: true` (a read of one named thing),
 * 404 and 400 (a handle or slug that cannot exist: the API checks their shape) are `not-found`; every
 * other failure is `error`, with a sentence to show.
 *
 * Why not SWR or TanStack Query: they keep a cache shared by the whole page and revalidate on focus
 * and reconnect, which no page here wants (each reads once, or polls on its own terms); SWR does
 * not abort a request that is no longer wanted; and either adds to the bundle budget
 * (docs/dependencies.md).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, describeApiError } from '../api';

export type ResourceState<T, NotFound extends boolean = false> =
  | { status: 'loading' }
  | (NotFound extends true ? { status: 'not-found' } : never)
  | { status: 'error'; message: string; error: unknown }
  | { status: 'ready'; data: T };

export type Resource<T, NotFound extends boolean = false> = ResourceState<T, NotFound> & {
  /** Read again (a "Try again" button). */
  retry(): void;
  /** Change the data in place (a page appended, an item edited), without a request. */
  update(change: (data: T) => T): void;
};

export function isNotFound(err: unknown): boolean {
  return err instanceof ApiError && (err.status === 404 || err.status === 400);
}

interface Options<T> {
  /** The data the server rendered with; no request until `retry()`. */
  initial?: T | null;
  /** 404 and 400 mean "no such thing" (`not-found`), not a failure. */
  notFound?: boolean;
}

export function useResource<T>(
  key: string | null,
  load: (signal: AbortSignal) => Promise<T>,
  options: Options<T> & { notFound: true },
): Resource<T, true>;
export function useResource<T>(
  key: string | null,
  load: (signal: AbortSignal) => Promise<T>,
  options?: Options<T> & { notFound?: false },
): Resource<T>;
export function useResource<T>(
  key: string | null,
  load: (signal: AbortSignal) => Promise<T>,
  options: Options<T> = {},
): Resource<T, boolean> {
  const initial = options.initial ?? undefined;
  const notFound = options.notFound ?? false;
  const [state, setState] = useState<ResourceState<T, boolean>>(
    initial !== undefined ? { status: 'ready', data: initial } : { status: 'loading' },
  );
  const [attempt, setAttempt] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  const initialRef = useRef(initial);
  initialRef.current = initial;

  useEffect(() => {
    if (key === null) return;
    if (attempt === 0 && initialRef.current !== undefined) {
      const data = initialRef.current;
      setState((s) => (s.status === 'ready' && s.data === data ? s : { status: 'ready', data }));
      return;
    }
    const controller = new AbortController();
    setState({ status: 'loading' });
    loadRef.current(controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setState({ status: 'ready', data });
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setState(
          notFound && isNotFound(error)
            ? { status: 'not-found' }
            : { status: 'error', message: describeApiError(error), error },
        );
      },
    );
    return () => controller.abort();
  }, [key, attempt, notFound]);

  const retry = useCallback(() => setAttempt((n) => n + 1), []);
  const update = useCallback(
    (change: (data: T) => T) => setState((s) => (s.status === 'ready' ? { status: 'ready', data: change(s.data) } : s)),
    [],
  );
  return { ...state, retry, update };
}

/**
 * Crashes while rendering a page (server components, route handlers, server actions) are logged as
 * one JSON line at error level with the path, in the same shape as the platform's other log lines
 * (`level`, `time`, `service`, `msg`), so they reach error.log and the dashboards. Next.js itself
 * only renders the error page; without this the crash left no trace on the server.
 */
export interface RenderErrorRequest {
  path: string;
  method: string;
}

export interface RenderErrorContext {
  routerKind?: string;
  routePath?: string;
  routeType?: string;
}

export function renderErrorLine(
  error: unknown,
  request: RenderErrorRequest,
  context: RenderErrorContext,
  now = new Date(),
): string {
  const err = error instanceof Error ? error : new Error(String(error));
  const digest = (err as Error & { digest?: unknown }).digest;
  return JSON.stringify({
    level: 'error',
    time: now.toISOString(),
    service: 'web',
    // The query string can carry tokens (password reset, e-mail verification): the path only.
    path: request.path.split('?')[0],
    method: request.method,
    route: context.routePath,
    routeType: context.routeType,
    err: { type: err.name, message: err.message, stack: err.stack, ...(typeof digest === 'string' ? { digest } : {}) },
    msg: 'page render failed',
  });
}

export function logRenderError(
  error: unknown,
  request: RenderErrorRequest,
  context: RenderErrorContext,
  write: (line: string) => void = (l) => console.error(l),
): void {
  write(renderErrorLine(error, request, context));
}

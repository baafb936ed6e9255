import type { Instrumentation } from 'next';
import { logRenderError } from './lib/render-errors';

/** Next.js calls this for every error thrown while it renders or handles a request. */
export const onRequestError: Instrumentation.onRequestError = (error, request, context) => {
  logRenderError(error, request, context);
};

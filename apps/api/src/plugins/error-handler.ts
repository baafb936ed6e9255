import http from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type ErrorCode } from '@earshot/core';

export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: Record<string, unknown> };
}

type FastifyCode = { status: number; code: ErrorCode; message?: string };
const mapped = (status: number, code: ErrorCode, message?: string): FastifyCode =>
  message ? { status, code, message } : { status, code };

/** Fastify's own 4xx errors, mapped to stable codes clients can rely on. */
const FASTIFY_CODES: Record<string, FastifyCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: mapped(413, 'payload_too_large', 'Request body is too large'),
  FST_ERR_CTP_INVALID_MEDIA_TYPE: mapped(415, 'unsupported_media_type', 'Unsupported Content-Type'),
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: mapped(400, 'bad_request', 'Content-Length does not match the body'),
  FST_ERR_CTP_EMPTY_JSON_BODY: mapped(400, 'invalid_json', 'Body must be a JSON document, not empty'),
  FST_ERR_CTP_INVALID_JSON_BODY: mapped(400, 'invalid_json', 'Body is not valid JSON'),
  FST_ERR_VALIDATION: mapped(400, 'validation_failed'),
  FST_ERR_CTP_EMPTY_TYPE: mapped(415, 'unsupported_media_type', 'Content-Type is missing'),
  FST_ERR_CTP_INVALID_TYPE: mapped(415, 'unsupported_media_type', 'Content-Type is invalid'),
  FST_INVALID_MULTIPART_CONTENT_TYPE: mapped(415, 'unsupported_media_type', 'Expected multipart/form-data'),
  FST_REQ_FILE_TOO_LARGE: mapped(413, 'payload_too_large', 'File is too large'),
  FST_PARTS_LIMIT: mapped(413, 'payload_too_large', 'Too many parts'),
  FST_FILES_LIMIT: mapped(413, 'payload_too_large', 'Too many files'),
  FST_FIELDS_LIMIT: mapped(413, 'payload_too_large', 'Too many fields'),
};

/** busboy's words for a multipart body it cannot parse (no boundary, cut short, bad headers): the client's fault. */
const MALFORMED_MULTIPART =
  /^Multipart: Boundary not found$|^Boundary required$|Unexpected end of multipart data|terminated early due to unexpected end of multipart data|Malformed part header/;

export function toErrorBody(code: ErrorCode, message: string, details?: Record<string, unknown>): ErrorBody {
  return { error: details ? { code, message, details } : { code, message } };
}

/**
 * Every error leaves as `{error: {code, message}}` (docs/architecture.md, "Security"). 4xx carry a message meant for
 * the caller; 5xx are logged with the request id and answered with a generic message.
 */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler(async (thrown: FastifyError | AppError | Error, request, reply) => {
    // A request abandoned by its timeout (plugins/request-timeouts.ts) fails whatever reads its
    // body with that reader's own error (a multipart file stream: "premature close"); the cause is
    // the timeout the request stream was destroyed with.
    // A refusal before the whole body arrived (a full disk mid-upload, a bad field before the
    // file): the rest will never be read, so the connection closes after the answer. Kept open, a
    // client still sending would wait on a socket nobody reads, and never see the answer. What it
    // is still sending is read and thrown away first, for a moment (lingering close, as nginx does).
    if (!request.raw.complete) {
      reply.header('connection', 'close');
      await discardUnreadBody(request.raw);
    }
    const abandonedWith = request.raw.errored;
    const err = abandonedWith instanceof AppError && !(thrown instanceof AppError) ? abandonedWith : thrown;
    if (err instanceof AppError) {
      if (err.status === 429 && err.details?.retryAfterSeconds)
        reply.header('retry-after', String(err.details.retryAfterSeconds));
      return reply
        .status(err.status)
        .send(toErrorBody(err.code, err.message, err.status === 429 ? undefined : err.details));
    }
    const fe = err as FastifyError;
    const known = fe.code ? FASTIFY_CODES[fe.code] : undefined;
    if (known) {
      if (fe.code === 'FST_ERR_VALIDATION') {
        const field = validationField(fe);
        return reply
          .status(known.status)
          .send(toErrorBody(known.code, validationMessage(fe), field ? { field } : undefined));
      }
      return reply.status(known.status).send(toErrorBody(known.code, known.message ?? fe.message));
    }
    if (MALFORMED_MULTIPART.test(err.message)) {
      return reply
        .status(400)
        .send(
          toErrorBody(
            'invalid_multipart',
            'The multipart/form-data body is malformed (missing boundary, cut short, or bad part headers)',
          ),
        );
    }
    if (err instanceof SyntaxError && (fe.statusCode === 400 || /JSON/.test(err.message))) {
      return reply.status(400).send(toErrorBody('invalid_json', 'Body is not valid JSON'));
    }
    const status = fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500 ? fe.statusCode : 500;
    if (status < 500) {
      return reply.status(status).send(toErrorBody(status === 404 ? 'not_found' : 'bad_request', fe.message));
    }
    const outage = classifyOutage(err);
    if (outage === 'disk_full') {
      request.log.error({ err }, 'request failed: disk full');
      return reply
        .status(507)
        .send(toErrorBody('insufficient_storage', 'The server has no room left to store this; try again later'));
    }
    if (outage === 'dependency_down') {
      // Not the request's fault and not a bug: a database, Redis or object store that does not
      // answer (health says which). The client may retry; nothing was acknowledged.
      request.log.warn(
        { err: { message: err.message, code: (err as NodeJS.ErrnoException).code } },
        'request failed: a dependency is unavailable',
      );
      return reply
        .status(503)
        .header('retry-after', '5')
        .send(
          toErrorBody('service_unavailable', 'A service the server needs is unavailable; try again in a few seconds'),
        );
    }
    request.log.error({ err }, 'request failed');
    return reply.status(500).send(toErrorBody('internal', `Internal server error (request ${request.id})`));
  });

  app.setNotFoundHandler((request, reply) => {
    reply.status(404).send(toErrorBody('not_found', `No route for ${request.method} ${request.url.split('?')[0]}`));
  });
}

/** How long, and how much, a refused request's unread body is read and thrown away before the answer. */
const LINGER_MS = 2_000;
const LINGER_MAX_BYTES = 64 * 1024 * 1024;

/**
 * Reads and discards the rest of a request body nobody will use (at most `LINGER_MS` and
 * `LINGER_MAX_BYTES`). A socket closed with bytes still unread is reset by the kernel, and a client
 * still writing its upload then fails on the write (EPIPE) and can lose the answer sent just before:
 * a refused upload would look like a dropped connection instead of its 4xx/507.
 */
function discardUnreadBody(raw: http.IncomingMessage): Promise<void> {
  if (raw.complete || raw.readableEnded || raw.destroyed || raw.errored) return Promise.resolve();
  return new Promise((resolve) => {
    let seen = 0;
    const done = () => {
      clearTimeout(timer);
      raw.off('data', onData).off('end', done).off('close', done);
      resolve();
    };
    const onData = (chunk: Buffer) => {
      seen += chunk.length;
      if (seen > LINGER_MAX_BYTES) done();
    };
    const timer = setTimeout(done, LINGER_MS);
    raw.unpipe(); // the body's reader (a multipart parser) has given up on it
    raw.on('data', onData).once('end', done).once('close', done);
    raw.resume();
  });
}

/** Error codes of a connection that could not be made or was lost (Node, pg, ioredis, the AWS SDK). */
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ECONNABORTED',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'TimeoutError',
  'RequestTimeout',
  'NetworkingError',
]);
/** PostgreSQL SQLSTATEs of a server going away: 57P01–57P03 (shutdown, crash, starting up), class 08 (connection exceptions). */
const PG_UNAVAILABLE = /^(57P0[1-3]|08\d{3})$/;
const CONNECTION_MESSAGES =
  /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|Connection is closed|MaxRetriesPerRequestError|Reached the max retries per request limit|Stream isn't writeable|the database system is (shutting down|starting up|in recovery mode)|socket hang up/i;

/**
 * Whether an unexpected error is an outage rather than a bug: a dependency that does not answer
 * (→ 503, retry) or a full disk (→ 507). Looks through `cause` chains and AggregateErrors.
 */
export function classifyOutage(thrown: unknown): 'dependency_down' | 'disk_full' | undefined {
  const seen = new Set<unknown>();
  const queue: unknown[] = [thrown];
  let found: 'dependency_down' | 'disk_full' | undefined;
  while (queue.length) {
    const e = queue.shift();
    if (!e || typeof e !== 'object' || seen.has(e)) continue;
    seen.add(e);
    const { code, name, message, cause, errors } = e as {
      code?: unknown;
      name?: unknown;
      message?: unknown;
      cause?: unknown;
      errors?: unknown;
    };
    if (code === 'ENOSPC' || code === 'EDQUOT') return 'disk_full';
    if (
      (typeof code === 'string' && (CONNECTION_CODES.has(code) || PG_UNAVAILABLE.test(code))) ||
      (typeof name === 'string' && CONNECTION_CODES.has(name)) ||
      (typeof message === 'string' && CONNECTION_MESSAGES.test(message))
    )
      found = 'dependency_down';
    queue.push(cause);
    if (Array.isArray(errors)) queue.push(...errors);
  }
  return found;
}

/** The field a schema error is about (`email`, `tracks.0.title`), for forms to show it in place. */
function validationField(err: FastifyError): string | undefined {
  const first = err.validation?.[0];
  if (!first) return undefined;
  const params = first.params as { missingProperty?: string; additionalProperty?: string } | undefined;
  const path = first.instancePath ? first.instancePath.replace(/^\//, '').replace(/\//g, '.') : '';
  const child = params?.missingProperty ?? params?.additionalProperty;
  return [path, child].filter(Boolean).join('.') || undefined;
}

function validationMessage(err: FastifyError): string {
  const first = err.validation?.[0];
  if (!first) return err.message;
  const where = err.validationContext ?? 'body';
  const field = validationField(err);
  return `${where}${field ? `.${field}` : ''} ${first.message ?? 'is invalid'}`;
}

/**
 * Errors the router raises before any hook or handler runs (a URL that is not valid
 * percent-encoding, a param over `maxParamLength`), in the same `{error}` shape as every other
 * refusal (Fastify's `frameworkErrors` option).
 */
export function frameworkErrors(err: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const status = err.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 414 : 400;
  const code: ErrorCode = err.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'uri_too_long' : 'bad_url';
  const message =
    err.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? 'A path segment is too long'
      : 'The URL is not valid (bad percent-encoding)';
  void reply.status(status).send(toErrorBody(code, message));
}

/**
 * What Node's HTTP parser refuses before Fastify sees a request (headers over the size limit,
 * malformed request lines, a headers timeout): answered on the raw socket with the same `{error}`
 * shape, then closed (Fastify's `clientErrorHandler` option; its default sends another shape).
 */
export function clientErrorHandler(err: NodeJS.ErrnoException, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, code, message]: [number, ErrorCode, string] =
    err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? [408, 'request_timeout', 'The request took too long to arrive']
      : err.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'headers_too_large', 'The URL or headers are too large']
        : [400, 'bad_request', 'Malformed HTTP request'];
  const body = JSON.stringify(toErrorBody(code, message));
  if (socket.writable)
    socket.write(
      `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: application/json; charset=utf-8\r\nConnection: close\r\n\r\n${body}`,
    );
  socket.destroy();
}

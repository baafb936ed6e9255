import type { FastifyInstance, FastifyRequest } from 'fastify';
import { TEXT_KIND_KEYWORD, assertUtf8, cleanText, validationFailed, type TextKind } from '@earshot/core';

interface SchemaNode {
  type?: string | string[];
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  anyOf?: SchemaNode[];
  [TEXT_KIND_KEYWORD]?: TextKind;
}

/**
 * Applies core's text rule (`cleanText`, docs/security.md) to every string a route receives —
 * path params, query and JSON body, at any depth — before schema validation, so no route can skip
 * it and no handler sees NUL, control, bidi-override or zero-width characters, or non-NFC text. A
 * string field picks its kind with `'x-text'` in its schema (`multiline`, `secret`); the default is
 * a single line. The URL's percent-escapes and the JSON body must be valid UTF-8 (400 otherwise:
 * bytes are never silently replaced).
 */
export function registerTextInput(app: FastifyInstance): void {
  app.addHook('onRequest', async (request) => {
    assertUtf8(urlBytes(request.raw.url ?? '/'), 'url');
  });

  app.addHook('preValidation', async (request: FastifyRequest) => {
    const schema = (request.routeOptions.schema ?? {}) as {
      params?: SchemaNode;
      querystring?: SchemaNode;
      body?: SchemaNode;
    };
    request.params = clean(request.params, schema.params, '');
    request.query = clean(request.query, schema.querystring, '');
    if (request.body !== undefined && !Buffer.isBuffer(request.body))
      request.body = clean(request.body, schema.body, '');
  });

  // The JSON parser sees bytes first: invalid UTF-8 is a 400, not U+FFFD in a stored title.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    try {
      assertUtf8(body as Buffer, 'body');
    } catch (err) {
      done(err as Error, undefined);
      return;
    }
    parseJson(request, (body as Buffer).toString('utf8'), done);
  });
}

/** Deeper than any body the API reads: a JSON body of 10 000 nested arrays is refused, not recursed into until the stack overflows. */
export const MAX_INPUT_DEPTH = 32;

function clean<T>(value: T, schema: SchemaNode | undefined, path: string, depth = 0): T {
  if (depth > MAX_INPUT_DEPTH)
    throw validationFailed(`Input is nested deeper than ${MAX_INPUT_DEPTH} levels`, {
      field: path.split('.')[0] || 'body',
      reason: 'too_deep',
    });
  if (typeof value === 'string')
    return cleanText(value, path || 'body', { kind: schema?.[TEXT_KIND_KEYWORD] ?? 'line' }) as T;
  if (Array.isArray(value))
    return value.map((v, i) => clean(v, itemSchema(schema), join(path, String(i)), depth + 1)) as T;
  if (value && typeof value === 'object') {
    const out = value as Record<string, unknown>;
    for (const key of Object.keys(out)) {
      cleanText(key, join(path, key.slice(0, 40) || '(empty)'));
      out[key] = clean(out[key], propertySchema(schema, key), join(path, key), depth + 1);
    }
  }
  return value;
}

const join = (path: string, key: string) => (path ? `${path}.${key}` : key);

function propertySchema(schema: SchemaNode | undefined, key: string): SchemaNode | undefined {
  if (!schema) return undefined;
  return (
    schema.properties?.[key] ??
    schema.anyOf?.map((s) => propertySchema(s, key)).find(Boolean) ??
    (schema[TEXT_KIND_KEYWORD] ? schema : undefined)
  );
}

function itemSchema(schema: SchemaNode | undefined): SchemaNode | undefined {
  return schema?.items ?? schema;
}

/** The bytes a raw request target stands for: as sent, with every `%XX` decoded. */
function urlBytes(url: string): Buffer {
  const raw = Buffer.from(url, 'latin1');
  const out = Buffer.alloc(raw.length);
  let n = 0;
  for (let i = 0; i < raw.length; i++) {
    const b = raw[i]!;
    if (b === 0x25 && i + 2 < raw.length && isHex(raw[i + 1]!) && isHex(raw[i + 2]!)) {
      out[n++] = parseInt(String.fromCharCode(raw[i + 1]!, raw[i + 2]!), 16);
      i += 2;
    } else out[n++] = b;
  }
  return out.subarray(0, n);
}

const isHex = (b: number) => (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66);

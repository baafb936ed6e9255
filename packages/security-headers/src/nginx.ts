import {
  CONSTANT_HEADERS,
  contentSecurityPolicy,
  FRAMEABLE_PATH_PREFIXES,
  FRAMING,
  STRICT_TRANSPORT_SECURITY,
} from './headers.ts';

/**
 * The nginx form of headers.ts, as the two templates under nginx/templates/snippets/ (rendered
 * like every template: `${DOMAIN}` is substituted, `$name` are nginx variables):
 *  - security-headers-maps.conf: http-level maps computing the per-request values;
 *  - security-headers.conf: the add_header lines, included in each server and in every location
 *    with an add_header of its own.
 * `npm run nginx:security-headers` writes them; rendering refuses templates that differ.
 */
export const NGINX_SECURITY_TEMPLATES = {
  maps: 'snippets/security-headers-maps.conf.template',
  headers: 'snippets/security-headers.conf.template',
} as const;

const GENERATED =
  '# Generated from packages/security-headers (the one definition of the security headers, used by\n# embedded mode too). Do not edit: change the module and run `npm run nginx:security-headers`.\n';

const quote = (v: string) => {
  if (/["\\$]/.test(v)) throw new Error(`cannot put ${JSON.stringify(v)} in an nginx string`);
  return `"${v}"`;
};
const prefixRegex = (prefix: string) => `"~^${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"`;

function mapBlock(source: string, variable: string, byDefault: string, cases: Array<[string, string]>): string {
  return [
    `map ${source} ${variable} {`,
    `    default ${byDefault};`,
    ...cases.map(([k, v]) => `    ${k} ${v};`),
    '}',
  ].join('\n');
}

export function renderNginxSecurityTemplates(): Record<keyof typeof NGINX_SECURITY_TEMPLATES, string> {
  const frameable = FRAMEABLE_PATH_PREFIXES.map(prefixRegex);
  const maps = [
    GENERATED,
    '# Framing: DENY everywhere except the frameable paths (the embeddable player), which third-party',
    '# sites may frame (CSP frame-ancestors; X-Frame-Options cannot express "anyone", so it is left',
    '# out there: an empty value makes add_header send nothing). nginx matches the normalised $uri.',
    mapBlock(
      '$uri',
      '$frame_options',
      quote(FRAMING.default.xFrameOptions),
      frameable.map((p) => [p, '""']),
    ),
    mapBlock(
      '$uri',
      '$frame_ancestors',
      quote(FRAMING.default.frameAncestors),
      frameable.map((p) => [p, quote(FRAMING.frameable.frameAncestors)]),
    ),
    '# HSTS on HTTPS responses only ($https is "on" there).',
    mapBlock('$https', '$strict_transport_security', '""', [['on', quote(STRICT_TRANSPORT_SECURITY)]]),
    '',
  ].join('\n');
  // The CSP goes through quote() with nginx variables in it: build it around placeholders.
  const csp = contentSecurityPolicy('WS_ORIGIN', 'FRAME_ANCESTORS');
  quote(csp);
  const headers = [
    GENERATED,
    '# Security headers of every response. Included in each server block and again in every location',
    '# that has an add_header of its own: a location with any add_header inherits none from the',
    '# server block. `always` adds them to error responses too (403, 410, 429, 5xx).',
    'add_header Strict-Transport-Security $strict_transport_security always;',
    ...Object.entries(CONSTANT_HEADERS).map(([name, value]) => `add_header ${name} ${quote(value)} always;`),
    'add_header X-Frame-Options $frame_options always;',
    `add_header Content-Security-Policy "${csp.replace('WS_ORIGIN', 'wss://${DOMAIN}').replace('FRAME_ANCESTORS', '$frame_ancestors')}" always;`,
    '',
  ].join('\n');
  return { maps, headers };
}

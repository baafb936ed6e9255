/**
 * The hostile inputs of test/hostile/routes.test.ts, by category. Each is plain data; the test
 * turns them into requests for every route the API registers.
 */

/** Path param values that must never resolve to anything (sent raw in the URL, so some are already percent-encoded). */
export const ABSURD_PARAMS: Array<[string, string]> = [
  ['dot-dot slash', '..%2F..%2F..%2Fetc%2Fpasswd'],
  ['raw ../', '../../../../etc/passwd'],
  ['encoded dots', '%2e%2e'],
  ['encoded dots and slash', '%2e%2e%2f%2e%2e%2fpackage.json'],
  ['double-encoded', '%252e%252e%252f'],
  ['backslashes', '..%5C..%5Cwindows'],
  ['1e309', '1e309'],
  ['-1', '-1'],
  ['zero', '0'],
  ['2^63', '9223372036854775808'],
  ['2^63 - 1', '9223372036854775807'],
  ['2^64 and more', '184467440737095516161844674407370955161'],
  ['fraction', '1.5'],
  ['hex', '0x10'],
  ['Arabic-Indic digits', encodeURIComponent('١٢٣')],
  ['fullwidth digits', encodeURIComponent('１２３')],
  ['superscript digits', encodeURIComponent('¹²³')],
  ['NUL byte', '1%00'],
  ['lone percent', '%'],
  ['bad escape', '%zz'],
  ['invalid UTF-8', '%C0%AF'],
  ['SQL', encodeURIComponent("1' OR '1'='1")],
  ['script', encodeURIComponent('<script>alert(1)</script>')],
  ['300 characters', 'x'.repeat(300)],
];

/** JSON bodies no parser may accept, whatever the route (a route without a body schema included). */
export const UNPARSEABLE_BODIES: Array<[string, string | Buffer]> = [
  ['unclosed object', '{'],
  ['cut after a key', '{"a":'],
  ['trailing comma', '{"a":1,}'],
  ['single quotes', "{'a':1}"],
  ['NaN', 'NaN'],
  ['bare word', 'undefined'],
  ['NUL byte', Buffer.from([0x00])],
  [
    'invalid UTF-8 in a string',
    Buffer.concat([Buffer.from('{"a":"'), Buffer.from([0xc0, 0xaf, 0xff]), Buffer.from('"}')]),
  ],
  ['100 000 unclosed brackets', '['.repeat(100_000)],
  ['prototype pollution', '{"__proto__":{"role":"admin","isAdmin":true}}'],
  ['constructor pollution', '{"constructor":{"prototype":{"role":"admin"}}}'],
  ['over the 1 MiB body limit', `{"a":"${'x'.repeat(1024 * 1024 + 16)}"}`],
  ['empty body', ''],
];

/** Well-formed JSON that is not an object of the route's fields (only for routes with a body schema). */
export const WRONG_SHAPE_BODIES: Array<[string, string]> = [
  ['null', 'null'],
  ['array', '[]'],
  ['string', '"x"'],
  ['number', '123'],
  ['1e309', '1e309'],
  ['10 000 nested arrays', `${'['.repeat(10_000)}${']'.repeat(10_000)}`],
  [
    'object with 10 000 keys',
    JSON.stringify(Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`k${i}`, i]))),
  ],
];

/** Content types nothing in the API reads, or lies about the body. */
export const WRONG_CONTENT_TYPES: Array<[string, string, string]> = [
  ['XML', 'application/xml', '<a>1</a>'],
  ['form-urlencoded', 'application/x-www-form-urlencoded', 'role=admin&email=a%40b.c'],
  ['octet-stream', 'application/octet-stream', '\u0000\u0001'],
  ['HTML', 'text/html', '<script>alert(1)</script>'],
  ['image', 'image/png', '\u0089PNG'],
  ['json-like type', 'application/jsonx', '{}'],
  ['junk media type', ';;;', '{}'],
  ['JSON declared as UTF-16', 'application/json; charset=utf-16le', Buffer.from('{}', 'utf16le').toString('latin1')],
  ['multipart/mixed', 'multipart/mixed; boundary=x', '--x--'],
];

/** Query strings: huge, repeated, nested, polluting, not UTF-8, scripted. */
export const HOSTILE_QUERIES: Array<[string, string]> = [
  ['200 KB value', `q=${'x'.repeat(200_000)}`],
  ['5000 repeats of a key', Array.from({ length: 5000 }, (_, i) => `a=${i}`).join('&')],
  ['5000 distinct keys', Array.from({ length: 5000 }, (_, i) => `k${i}=1`).join('&')],
  ['deep brackets', `${'a'}${'[b]'.repeat(500)}=1`],
  ['prototype pollution', '__proto__[role]=admin&constructor[prototype][role]=admin'],
  ['absurd numbers', 'limit=1e309&offset=-1&cursor=9223372036854775808&queue=..%2F..'],
  ['invalid UTF-8', '%ff%fe=%c0%af'],
  ['only separators', '&&&&====&&&&'],
  [
    'script',
    `${encodeURIComponent('<script>alert(1)</script>')}=${encodeURIComponent('"><img src=x onerror=alert(1)>')}`,
  ],
];

/** Strings stored as profile text and read back: they must come back byte for byte, as JSON data. */
export const XSS_STRINGS: Array<[string, string]> = [
  ['script tag', '<script>alert(1)</script>'],
  ['attribute break-out', '"><img src=x onerror=alert(1)>'],
  ['closing script', '</script><script>alert(document.cookie)</script>'],
  ['svg onload', '<svg/onload=alert(1)>'],
  ['javascript URL', 'javascript:alert(1)//'],
  ['template injection', "{{constructor.constructor('alert(1)')()}}"],
  ['HTML entities', '&lt;script&gt;alert(1)&lt;/script&gt;'],
  ['JSON break-out', '"}],"role":"admin","x":[{"'],
];

/** Cross-site signals on a cookie write (no Bearer): each must be refused with 403 `cross_site_request`. */
export const CROSS_SITE_HEADERS: Array<[string, Record<string, string>]> = [
  ['Sec-Fetch-Site: cross-site', { 'sec-fetch-site': 'cross-site' }],
  ['Sec-Fetch-Site: same-site', { 'sec-fetch-site': 'same-site' }],
  ['Origin: another site', { origin: 'https://evil.example' }],
  ['Origin: null', { origin: 'null' }],
  ['Origin: lookalike host', { origin: 'http://localhost.evil.example' }],
  ['Origin: another scheme and port', { origin: 'ftp://localhost:21' }],
];

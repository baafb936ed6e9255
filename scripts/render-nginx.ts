/**
 * Renders nginx/templates/ (the production nginx configuration) for any environment.
 *
 * In compose, the official nginx image does this itself at start: it runs envsubst over every
 * /etc/nginx/templates/**\/*.template into NGINX_ENVSUBST_OUTPUT_DIR (we set /etc/nginx, so
 * `nginx.conf.template` becomes /etc/nginx/nginx.conf), substituting only the variables that match
 * NGINX_ENVSUBST_FILTER (we set `^(DOMAIN|SECURE_LINK_SECRET)$`). `envsubst` below does the same
 * substitution, so this script gives the same files outside the image.
 *
 * `local` additionally rewrites the few machine-specific lines (listen addresses, upstream hosts,
 * certificate, log/pid/cache/temp paths, `user`) so the same template runs unprivileged on any
 * host — the edge test uses it to put Debian's nginx on loopback ports. Every rewrite must match
 * the template exactly as often as expected, or rendering fails: the template stays the single
 * source of truth and cannot drift away from what the test runs.
 *
 * `host` is a bare-metal install (docs/install-native.md): Debian's nginx user, the upstreams on
 * this machine and certbot's certificate; everything else (logs, cache, pid) stays where Debian's
 * nginx keeps it. `storageRoot` serves local storage from disk (no S3 server needed).
 *
 * CLI:
 *   DOMAIN=yoursite.com SECURE_LINK_SECRET=… tsx scripts/render-nginx.ts --out <dir>
 *     [--host www-data --api 127.0.0.1:3000 --web 127.0.0.1:3002 --minio 127.0.0.1:9000 [--cert <pem> --key <pem>]]
 *     [--prefix <dir> --listen-http 127.0.0.1:8080 --listen-https 127.0.0.1:8443
 *      --api 127.0.0.1:3000 --web 127.0.0.1:3002 --minio 127.0.0.1:9000 --cert <pem> --key <pem>]
 *     [--storage-root /var/lib/earshot/storage]
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { staleSecurityTemplates } from './nginx-security-headers.ts';

export const TEMPLATES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../nginx/templates');

/** The only environment variables the templates use; the compose service sets NGINX_ENVSUBST_FILTER to exactly these. */
export const TEMPLATE_VARIABLES = ['DOMAIN', 'SECURE_LINK_SECRET'] as const;
export type TemplateEnv = Record<(typeof TEMPLATE_VARIABLES)[number], string>;
export const ENVSUBST_FILTER = `^(${TEMPLATE_VARIABLES.join('|')})$`;

export interface LocalRuntime {
  /** Runtime folder: logs/, cache/, tmp/ and the pid file go here (created). */
  prefix: string;
  listenHttp: string;
  listenHttps: string;
  /** `api` may list several replicas (scale-out: docs/operations.md); nginx balances between them. */
  upstreams: { api: string | string[]; web: string; minio: string };
  certificate: { cert: string; key: string };
}

/**
 * A bare-metal install (docs/install-native.md): Debian's nginx with its own paths (logs, cache,
 * pid, modules), the upstreams on this host, certbot's certificate, and nginx's user.
 */
export interface HostRuntime {
  /** The user nginx's workers run as: `www-data` on Debian and Ubuntu. */
  user: string;
  upstreams: { api: string; web: string; minio: string };
  certificate: { cert: string; key: string };
  /** proxy_cache_path of the media cache (default /var/cache/nginx/media; its parent must exist). The API list cache goes beside it, in `api`. */
  cacheDir?: string;
}

export interface RenderOptions {
  outDir: string;
  env: TemplateEnv;
  templatesDir?: string;
  local?: LocalRuntime;
  host?: HostRuntime;
  /**
   * Local storage (MINIO_ENDPOINT unset): the folder holding the buckets (`<DATA_DIR>/storage`).
   * nginx then is the storage upstream itself: a server on the `minio` upstream's loopback
   * address serves the files, so the template's locations stay exactly as they are.
   */
  storageRoot?: string;
}

export interface Rendered {
  /** Path of the rendered nginx.conf. */
  confPath: string;
  files: string[];
}

/** GNU envsubst with an explicit variable list: `$NAME` and `${NAME}` of those names only. */
export function envsubst(text: string, vars: Record<string, string>): string {
  return text.replace(
    /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))/g,
    (whole, braced: string | undefined, bare: string | undefined) => {
      const name = (braced ?? bare)!;
      return Object.hasOwn(vars, name) ? vars[name]! : whole;
    },
  );
}

/**
 * The values end up inside double-quoted nginx strings: refuse anything that could end the string,
 * start an nginx variable or a new directive.
 */
export function checkTemplateEnv(env: TemplateEnv): void {
  if (
    !/^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/.test(
      env.DOMAIN,
    )
  ) {
    throw new Error(`DOMAIN is not a host name: ${JSON.stringify(env.DOMAIN)}`);
  }
  if (!/^[A-Za-z0-9._~+/=-]{16,256}$/.test(env.SECURE_LINK_SECRET)) {
    throw new Error('SECURE_LINK_SECRET must be 16-256 characters of [A-Za-z0-9._~+/=-] (e.g. `openssl rand -hex 32`)');
  }
}

function replaceExactly(text: string, from: string | RegExp, to: string, times: number, what: string): string {
  const pattern =
    typeof from === 'string'
      ? new RegExp(from.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gm')
      : new RegExp(from.source, from.flags.includes('g') ? from.flags : `${from.flags}g`);
  const found = text.match(pattern)?.length ?? 0;
  if (found !== times)
    throw new Error(
      `nginx template changed: expected ${times} × ${what}, found ${found} (update scripts/render-nginx.ts)`,
    );
  return text.replace(pattern, () => to);
}

/** Rewrites of the rendered files for running outside the nginx image. */
export function localise(file: string, text: string, outDir: string, local: LocalRuntime): string {
  let t = text.replace(/include \/etc\/nginx\/snippets\//g, `include ${outDir}/snippets/`);
  if (file !== 'nginx.conf') return t;
  const p = local.prefix;
  const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  // As root, nginx would switch its workers to `nobody`, which cannot use the private temp folders.
  t = replaceExactly(
    t,
    /^user nginx;$/m,
    asRoot ? 'user root;' : '# user: runs as the invoking user',
    1,
    '`user nginx;`',
  );
  t = replaceExactly(
    t,
    /^error_log \/var\/log\/nginx\/error\.log warn;$/m,
    `error_log ${p}/logs/error.log warn;`,
    1,
    'error_log',
  );
  t = replaceExactly(t, /^pid \/var\/run\/nginx\.pid;$/m, `pid ${p}/nginx.pid;`, 1, 'pid');
  t = replaceExactly(
    t,
    'access_log /var/log/nginx/access.log main;',
    `access_log ${p}/logs/access.log main;`,
    1,
    'access_log',
  );
  t = replaceExactly(
    t,
    'proxy_cache_path /var/cache/nginx/media ',
    `proxy_cache_path ${p}/cache/media `,
    1,
    'proxy_cache_path',
  );
  t = replaceExactly(
    t,
    'proxy_cache_path /var/cache/nginx/api ',
    `proxy_cache_path ${p}/cache/api `,
    1,
    'proxy_cache_path (api)',
  );
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']
    .map((k) => `    ${k}_temp_path ${p}/tmp/${k};`)
    .join('\n');
  t = replaceExactly(t, /^http \{$/m, `http {\n${temp}\n`, 1, '`http {`');
  t = replaceExactly(t, /^ *listen \[::\]:80;\n/m, '', 1, 'listen [::]:80');
  t = replaceExactly(t, /^ *listen \[::\]:443 ssl http2;\n/m, '', 1, 'listen [::]:443');
  t = replaceExactly(t, 'listen 80;', `listen ${local.listenHttp};`, 1, 'listen 80');
  t = replaceExactly(t, 'listen 443 ssl http2;', `listen ${local.listenHttps} ssl http2;`, 1, 'listen 443');
  return pointAtServers(t, local);
}

/** The upstreams and the certificate of nginx.conf, as the local and the host renders both set them. */
function pointAtServers(
  t: string,
  { upstreams, certificate }: Pick<LocalRuntime, 'upstreams' | 'certificate'>,
): string {
  t = replaceExactly(
    t,
    'server api:3000;',
    [upstreams.api]
      .flat()
      .map((a) => `server ${a};`)
      .join('\n        '),
    1,
    'api upstream',
  );
  t = replaceExactly(t, 'server web:3002;', `server ${upstreams.web};`, 1, 'web upstream');
  t = replaceExactly(t, 'server minio:9000;', `server ${upstreams.minio};`, 1, 'minio upstream');
  t = replaceExactly(
    t,
    'ssl_certificate /etc/nginx/ssl/fullchain.pem;',
    `ssl_certificate ${certificate.cert};`,
    1,
    'ssl_certificate',
  );
  t = replaceExactly(
    t,
    'ssl_certificate_key /etc/nginx/ssl/privkey.pem;',
    `ssl_certificate_key ${certificate.key};`,
    1,
    'ssl_certificate_key',
  );
  return t;
}

/** Rewrites of the rendered nginx.conf for a bare-metal host (see HostRuntime). */
export function hostise(file: string, text: string, outDir: string, host: HostRuntime): string {
  // The snippets are where they were rendered (/etc/nginx/snippets when --out is /etc/nginx).
  text = text.replace(/include \/etc\/nginx\/snippets\//g, `include ${outDir}/snippets/`);
  if (file !== 'nginx.conf') return text;
  if (!/^[a-z_][a-z0-9_-]{0,31}$/.test(host.user)) throw new Error(`not a user name: ${JSON.stringify(host.user)}`);
  for (const [name, address] of Object.entries(host.upstreams)) checkAddress(name, address);
  let t = replaceExactly(text, /^user nginx;$/m, `user ${host.user};`, 1, '`user nginx;`');
  t = pointAtServers(t, host);
  if (host.cacheDir) {
    t = replaceExactly(
      t,
      'proxy_cache_path /var/cache/nginx/media ',
      `proxy_cache_path ${host.cacheDir} `,
      1,
      'proxy_cache_path',
    );
    // The API list cache sits beside the media cache (…/media → …/api).
    t = replaceExactly(
      t,
      'proxy_cache_path /var/cache/nginx/api ',
      `proxy_cache_path ${path.join(path.dirname(host.cacheDir), 'api')} `,
      1,
      'proxy_cache_path (api)',
    );
  }
  return t;
}

function checkAddress(name: string, address: string): void {
  if (!/^(?:[A-Za-z0-9.-]+|\[[0-9a-fA-F:]+\]):\d{1,5}$|^unix:\/[\w./-]+$/.test(address))
    throw new Error(`--${name}: not host:port: ${JSON.stringify(address)}`);
}

/**
 * The storage server for local storage: on the `minio` upstream's address (loopback only), the
 * bucket folders under `root`, read-only, only the three public buckets; nothing else.
 */
export function storageServer(listen: string, root: string): string {
  checkAddress('minio', listen);
  if (!/^(?:127\.\d+\.\d+\.\d+|localhost|\[::1\]):\d+$/.test(listen))
    throw new Error(`local storage is served on loopback only, not ${listen}`);
  if (!path.isAbsolute(root) || /[\s;{}"'$]/.test(root))
    throw new Error(`storage root must be an absolute path without spaces or nginx syntax: ${JSON.stringify(root)}`);
  return [
    '',
    '    # Local storage (render-nginx --storage-root): the `minio` upstream is this server, which',
    '    # serves the bucket folders of DATA_DIR/storage. Only the buckets nginx proxies to; read-only.',
    '    server {',
    `        listen ${listen};`,
    `        root ${root};`,
    '        access_log off;',
    '        types {',
    '            application/vnd.apple.mpegurl m3u8;',
    '            video/mp4 mp4 m4s;',
    '            application/json json;',
    '            image/jpeg jpg jpeg;',
    '            image/png png;',
    '            image/webp webp;',
    '        }',
    '        default_type application/octet-stream;',
    '        location ~ /\\. {',
    '            return 404;',
    '        }',
    '        location ~ ^/(?:transcodes|images|waveforms)/[^.] {',
    '            limit_except GET { deny all; }',
    '            try_files $uri =404;',
    '        }',
    '        location / {',
    '            return 404;',
    '        }',
    '    }',
    '',
  ].join('\n');
}

async function listTemplates(dir: string, rel = ''): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(path.join(dir, rel), { withFileTypes: true })) {
    const r = path.join(rel, entry.name);
    if (entry.isDirectory()) out.push(...(await listTemplates(dir, r)));
    else if (entry.name.endsWith('.template')) out.push(r);
  }
  return out.sort();
}

/** Renders every template of `templatesDir` into `outDir` (subfolders kept, `.template` dropped). */
export async function renderNginx(options: RenderOptions): Promise<Rendered> {
  const templatesDir = options.templatesDir ?? TEMPLATES_DIR;
  checkTemplateEnv(options.env);
  // The security-header snippets are generated from packages/security-headers: never render a stale one.
  const stale = await staleSecurityTemplates(templatesDir);
  if (stale.length)
    throw new Error(
      `${stale.join(', ')} differ from packages/security-headers: run \`npm run nginx:security-headers\``,
    );
  const outDir = path.resolve(options.outDir);
  const files: string[] = [];
  for (const rel of await listTemplates(templatesDir)) {
    const target = rel.slice(0, -'.template'.length);
    let text = envsubst(await readFile(path.join(templatesDir, rel), 'utf8'), options.env);
    const left = /\$\{[A-Za-z_][A-Za-z0-9_]*\}/.exec(text);
    if (left) throw new Error(`${rel}: ${left[0]} is not a template variable (only ${TEMPLATE_VARIABLES.join(', ')})`);
    if (options.local && options.host)
      throw new Error('--prefix (a test runtime) and --host (this machine) exclude each other');
    if (options.local) text = localise(target, text, outDir, options.local);
    if (options.host) text = hostise(target, text, outDir, options.host);
    if (options.storageRoot && target === 'nginx.conf') {
      const minio = options.local?.upstreams.minio ?? options.host?.upstreams.minio;
      if (!minio) throw new Error('--storage-root needs --prefix or --host (the storage address)');
      text = replaceExactly(
        text,
        /^}\s*$(?![\s\S]*^})/m,
        `${storageServer(minio, path.resolve(options.storageRoot))}}\n`,
        1,
        'the closing brace of `http {`',
      );
    }
    const dest = path.join(outDir, target);
    await mkdir(path.dirname(dest), { recursive: true });
    await writeFile(dest, text, { mode: 0o600 });
    files.push(dest);
  }
  if (options.local)
    for (const d of ['logs', 'cache', 'tmp']) await mkdir(path.join(options.local.prefix, d), { recursive: true });
  return { confPath: path.join(outDir, 'nginx.conf'), files };
}

const USAGE = `usage: render-nginx.ts --out <dir>
  [--host <nginx user> --api <host:port> --web <host:port> --minio <host:port> [--cert <pem> --key <pem> --cache-dir <dir>]]
  [--prefix <dir> --listen-http … --listen-https … --api … --web … --minio … --cert … --key …]
  [--storage-root <DATA_DIR>/storage]`;

async function main(argv: string[]): Promise<void> {
  const args = new Map<string, string>();
  for (let i = 0; i < argv.length; i += 2) {
    const k = argv[i]!;
    const v = argv[i + 1];
    if (!k.startsWith('--') || v === undefined) throw new Error(USAGE);
    args.set(k.slice(2), v);
  }
  const outDir = args.get('out');
  if (!outDir) throw new Error('--out <dir> is required');
  const env = { DOMAIN: process.env.DOMAIN ?? '', SECURE_LINK_SECRET: process.env.SECURE_LINK_SECRET ?? '' };
  const prefix = args.get('prefix');
  const hostUser = args.get('host');
  const need = (k: string) => {
    const v = args.get(k);
    if (!v) throw new Error(`--${k} is required with --${prefix ? 'prefix' : 'host'}`);
    return v;
  };
  const local: LocalRuntime | undefined = prefix
    ? {
        prefix: path.resolve(prefix),
        listenHttp: need('listen-http'),
        listenHttps: need('listen-https'),
        upstreams: { api: need('api'), web: need('web'), minio: need('minio') },
        certificate: { cert: path.resolve(need('cert')), key: path.resolve(need('key')) },
      }
    : undefined;
  // certbot's paths by default: /etc/letsencrypt/live/<DOMAIN>/.
  const host: HostRuntime | undefined = hostUser
    ? {
        user: hostUser,
        upstreams: { api: need('api'), web: need('web'), minio: need('minio') },
        certificate: {
          cert: path.resolve(args.get('cert') ?? `/etc/letsencrypt/live/${env.DOMAIN}/fullchain.pem`),
          key: path.resolve(args.get('key') ?? `/etc/letsencrypt/live/${env.DOMAIN}/privkey.pem`),
        },
        cacheDir: args.get('cache-dir') && path.resolve(args.get('cache-dir')!),
      }
    : undefined;
  const storageRoot = args.get('storage-root');
  const { confPath } = await renderNginx({ outDir, env, local, host, storageRoot });
  process.stdout.write(`${confPath}\n`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}

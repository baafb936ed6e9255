import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import type { Config } from '@earshot/config';
import type { Role } from '@earshot/db';
import {
  forbidden,
  notFound,
  resourceOwners,
  unauthorized,
  type CoreDeps,
  type OwnedResource,
  type OwnerParams,
} from '@earshot/core';
import { authenticate, checkCsrf } from './auth.ts';

/**
 * Who may call a route. Every route declares one in `config.access`; the app refuses to start
 * otherwise (see `registerAccess`).
 *
 * - `'public'`: anyone, and the route never looks at who is asking: credentials are not even
 *   read (static media, health, metrics, docs, web pages — the hot paths stay free of a
 *   session lookup).
 * - `'anyone'`: anyone; a signed-in caller is identified (e.g. an owner sees their private track).
 * - `'signed-in'`: any signed-in, enabled user (401 otherwise).
 * - `{ roles: [...] }`: a signed-in user with one of these roles (401 anonymous, 403 others).
 * - `{ owner: '<resource>' }`: a signed-in user who owns the resource the URL names, per
 *   core's OWNER_RESOLVERS (packages/core/src/owners.ts) (401 anonymous, 404 no such resource, 403 not the owner). Admins pass unless
 *   `admins: false`.
 */
export type Access =
  | 'public'
  | 'anyone'
  | 'signed-in'
  | { roles: readonly Role[] }
  | { owner: OwnedResource; admins?: boolean };

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
}

/**
 * Routes registered by third-party plugins we do not write the options of, and the access they
 * get. Only @fastify/swagger-ui's documentation pages and assets: public by design (the OpenAPI
 * document lists routes, never data). Anything else without `config.access` stops the app.
 */
const THIRD_PARTY_ROUTES: Array<{ prefix: string; access: Access; why: string }> = [
  { prefix: '/api/docs', access: 'public', why: '@fastify/swagger-ui (OpenAPI document and explorer)' },
];

export interface DeclaredRoute {
  method: string;
  url: string;
  access: Access;
}

const declared = new WeakMap<FastifyInstance, DeclaredRoute[]>();

/** Every route registered on `app` with its access rule, in registration order (for the access-matrix test). */
export function declaredRoutes(app: FastifyInstance): readonly DeclaredRoute[] {
  return declared.get(app) ?? [];
}

export class MissingAccessError extends Error {
  constructor(method: string, url: string) {
    super(
      `Route ${method} ${url} declares no config.access: say who may call it ('public', 'anyone', 'signed-in', { roles }, { owner }) — see apps/api/src/plugins/access.ts`,
    );
    this.name = 'MissingAccessError';
  }
}

/**
 * The one authorisation mechanism. An `onRoute` hook refuses every route without
 * `config.access` (so this must be registered before any route and plugin that adds routes); one
 * `onRequest` hook authenticates, checks CSRF (before any lookup) and applies the rule before the body is even read.
 */
export function registerAccess(app: FastifyInstance, accounts: Pick<CoreDeps, 'db' | 'tokens'>, config: Config): void {
  const routes: DeclaredRoute[] = [];
  declared.set(app, routes);

  app.addHook('onRoute', (route: RouteOptions) => {
    route.config ??= {};
    const config = route.config as { access?: Access; url?: string };
    if (!config.access) {
      const thirdParty = THIRD_PARTY_ROUTES.find((t) => route.url === t.prefix || route.url.startsWith(`${t.prefix}/`));
      if (!thirdParty) throw new MissingAccessError(String(route.method), route.url);
      config.access = thirdParty.access;
    }
    for (const method of Array.isArray(route.method) ? route.method : [route.method])
      routes.push({ method: String(method), url: route.url, access: config.access });
  });

  app.addHook('onRequest', async (request, reply) => {
    const access = request.routeOptions.config.access;
    // No route matched (the 404 handler) or a route that never reads credentials.
    if (access === undefined || access === 'public') return;
    await authenticate(request, reply, accounts, config);
    checkCsrf(request, accounts, config);
    await checkAccess(request, access, accounts);
  });
}

async function checkAccess(
  request: FastifyRequest,
  access: Exclude<Access, 'public'>,
  deps: Pick<CoreDeps, 'db'>,
): Promise<void> {
  if (access === 'anyone') return;
  const user = request.user;
  if (!user) throw unauthorized();
  if (access === 'signed-in') return;
  if ('roles' in access) {
    if (!access.roles.includes(user.role))
      throw forbidden(
        `This needs a${access.roles.length === 1 && access.roles[0] === 'admin' ? 'n admin' : ` ${access.roles.join(' or ')}`} account`,
      );
    return;
  }
  const owners = await resourceOwners(deps, access.owner, request.params as OwnerParams);
  if (!owners) throw notFound(`${access.owner[0]!.toUpperCase()}${access.owner.slice(1)}`);
  if (owners.includes(user.id)) return;
  if (user.role === 'admin' && access.admins !== false) return;
  throw forbidden(`Only the owner of this ${access.owner} may do this`);
}

import { Type } from 'typebox';
import {
  getEmailPreferences,
  listNotifications,
  markNotificationsRead,
  setEmailPreferences,
  unsubscribe,
} from '@earshot/core';
import { errorResponses, Id, ListQuery, Nullable } from '../schemas.ts';
import { requireUser } from '../current-user.ts';
import { NotificationSchema, presentNotification } from '../presenters/community.ts';
import { communityDeps } from '../community-deps.ts';
import type { Api, RouteDeps } from '../types.ts';
import { endpointsTagged } from '../http/endpoint.ts';

const Preferences = Type.Object({
  follow: Type.Boolean(),
  comment: Type.Boolean(),
  reply: Type.Boolean(),
  like: Type.Boolean(),
  repost: Type.Boolean(),
  sale: Type.Boolean({ description: 'The mail of each paid order of your tracks and releases' }),
});

const endpoint = endpointsTagged('community');

/**
 * Notifications (docs/architecture.md, "Community"): the grouped list with the unread count,
 * marking read, per-kind email preferences, and the one-click unsubscribe of email links (no sign-in: the token is signed).
 */
export function notificationRoutes(app: Api, deps: RouteDeps): void {
  const community = communityDeps(deps);

  app.get(
    '/api/v1/notifications',
    endpoint('signed-in', 'Your notifications, newest first, grouped ("12 people liked …"), with the unread count', {
      querystring: Type.Object(ListQuery, { additionalProperties: false }),
      response: {
        200: Type.Object({
          items: Type.Array(NotificationSchema),
          nextCursor: Nullable(Type.String()),
          unreadCount: Type.Integer(),
        }),
        ...errorResponses(400, 401),
      },
    }),
    async (request, reply) => {
      const page = await listNotifications(community, requireUser(request).id, request.query);
      reply.header('cache-control', 'private, no-store');
      return { ...page, items: page.items.map(presentNotification) };
    },
  );

  app.post(
    '/api/v1/notifications/read',
    endpoint('signed-in', 'Marks your notifications read (all, or up to `upToId`)', {
      body: Type.Optional(Type.Object({ upToId: Type.Optional(Id) }, { additionalProperties: false })),
      response: { 200: Type.Object({ unreadCount: Type.Integer() }), ...errorResponses(400, 401) },
    }),
    async (request) => markNotificationsRead(community, requireUser(request).id, request.body?.upToId),
  );

  app.get(
    '/api/v1/me/notification-settings',
    endpoint('signed-in', 'Which notifications you get by email', {
      response: { 200: Type.Object({ email: Preferences }), ...errorResponses(401) },
    }),
    async (request) => ({ email: await getEmailPreferences(community, requireUser(request).id) }),
  );

  app.patch(
    '/api/v1/me/notification-settings',
    endpoint('signed-in', 'Turns notification emails on or off per kind', {
      body: Type.Object(
        { email: Type.Partial(Preferences, { additionalProperties: false }) },
        { additionalProperties: false },
      ),
      response: { 200: Type.Object({ email: Preferences }), ...errorResponses(400, 401) },
    }),
    async (request) => ({ email: await setEmailPreferences(community, requireUser(request).id, request.body.email) }),
  );

  app.post(
    '/api/v1/notifications/unsubscribe',
    endpoint(
      'anyone',
      "One-click unsubscribe from an email's link: turns that kind of email off (signed token, no sign-in)",
      {
        body: Type.Object({ token: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false }),
        response: { 200: Type.Object({ unsubscribed: Type.String() }), ...errorResponses(400, 404) },
      },
    ),
    async (request) => ({
      unsubscribed: (await unsubscribe(community, deps.core.unsubscribeSecret, request.body.token)).type,
    }),
  );
}

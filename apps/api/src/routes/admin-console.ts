import { Type } from 'typebox';
import {
  TAKEDOWN_REASON_MAX,
  TAKEDOWN_SUBJECTS,
  getUserForAdmin,
  jobsOverview,
  listContentForAdmin,
  retryOneJob,
  searchUsers,
  setUserRole,
  type AdminUserView,
} from '@earshot/core';
import {
  AdminPageQuery,
  DateTime,
  errorResponses,
  Id,
  Nullable,
  NullableDate,
  PageOf,
  QueueName,
  TakedownFields,
} from '../schemas.ts';
import { requireUser } from '../current-user.ts';
import type { Api, RouteDeps } from '../types.ts';

const Role = Type.Union([Type.Literal('listener'), Type.Literal('artist'), Type.Literal('admin')]);

const AdminUserSchema = Type.Object({
  id: Type.String(),
  handle: Type.String(),
  displayName: Type.String(),
  email: Type.String(),
  role: Role,
  disabledAt: NullableDate,
  createdAt: DateTime,
  openReports: Type.Integer(),
});
const UploadSchema = Type.Object({
  id: Type.String(),
  title: Type.String(),
  slug: Type.String(),
  visibility: Type.String(),
  ...TakedownFields,
  createdAt: DateTime,
});
const ContentSchema = Type.Object({
  type: Type.String(),
  id: Type.String(),
  label: Type.String(),
  owner: Type.Union([Type.Object({ id: Type.String(), handle: Type.String() }), Type.Null()]),
  trackId: Nullable(Type.String()),
  ...TakedownFields,
  createdAt: DateTime,
});
const CountsSchema = Type.Object({
  queue: Type.String(),
  waiting: Type.Integer(),
  active: Type.Integer(),
  failed: Type.Integer(),
  delayed: Type.Integer(),
  completed: Type.Integer(),
});

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const presentAdminUser = (u: AdminUserView) => ({
  ...u,
  disabledAt: iso(u.disabledAt),
  createdAt: u.createdAt.toISOString(),
});

/** What the admin console reads beyond moderation: users, content, queues (docs/operations.md, "Admin console"). */
export function adminConsoleRoutes(app: Api, deps: RouteDeps): void {
  const core = () => ({ ...deps.core, jobs: deps.infra.jobs });
  const admin = { access: { roles: ['admin'] as const } };

  app.get(
    '/api/v1/admin/users',
    {
      config: admin,
      schema: {
        tags: ['admin'],
        summary: 'Search users by handle, display name or email; newest first',
        querystring: Type.Object(
          { q: Type.Optional(Type.String({ maxLength: 200 })), ...AdminPageQuery },
          { additionalProperties: false },
        ),
        response: { 200: PageOf(AdminUserSchema), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const page = await searchUsers(core(), request.query);
      return { items: page.items.map(presentAdminUser), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/api/v1/admin/users/:id',
    {
      config: admin,
      schema: {
        tags: ['admin'],
        summary: 'One user with their uploads (reports against them: GET /api/v1/admin/reports?subjectUserId=)',
        params: Type.Object({ id: Id }),
        response: {
          200: Type.Object({ user: AdminUserSchema, uploads: Type.Array(UploadSchema) }),
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    async (request) => {
      const { user, uploads } = await getUserForAdmin(core(), request.params.id);
      return {
        user: presentAdminUser(user),
        uploads: uploads.map((u) => ({ ...u, takenDownAt: iso(u.takenDownAt), createdAt: u.createdAt.toISOString() })),
      };
    },
  );

  app.put(
    '/api/v1/admin/users/:id/role',
    {
      config: admin,
      schema: {
        tags: ['admin'],
        summary: "Change a user's role (not your own)",
        params: Type.Object({ id: Id }),
        body: Type.Object(
          { role: Role, reason: Type.Optional(Type.String({ maxLength: TAKEDOWN_REASON_MAX, 'x-text': 'multiline' })) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ user: AdminUserSchema }), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ({
      user: presentAdminUser(
        await setUserRole(core(), requireUser(request), request.params.id, request.body.role, request.body.reason),
      ),
    }),
  );

  app.get(
    '/api/v1/admin/content',
    {
      config: admin,
      schema: {
        tags: ['admin'],
        summary: 'Tracks, releases or comments, all of them (taken down or not), newest first',
        querystring: Type.Object(
          {
            type: Type.Union([
              Type.Literal(TAKEDOWN_SUBJECTS[0]),
              Type.Literal(TAKEDOWN_SUBJECTS[1]),
              Type.Literal(TAKEDOWN_SUBJECTS[2]),
            ]),
            q: Type.Optional(Type.String({ maxLength: 200 })),
            takenDown: Type.Optional(Type.Boolean()),
            ...AdminPageQuery,
          },
          { additionalProperties: false },
        ),
        response: { 200: PageOf(ContentSchema), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const page = await listContentForAdmin(core(), request.query);
      return {
        items: page.items.map((i) => ({ ...i, takenDownAt: iso(i.takenDownAt), createdAt: i.createdAt.toISOString() })),
        nextCursor: page.nextCursor,
      };
    },
  );

  app.get(
    '/api/v1/admin/jobs',
    {
      config: admin,
      schema: {
        tags: ['admin'],
        summary: 'Per-queue counts: waiting, active, failed, delayed, completed',
        response: { 200: Type.Object({ queues: Type.Array(CountsSchema) }), ...errorResponses(401, 403) },
      },
    },
    async () => ({ queues: await jobsOverview(core()) }),
  );

  app.post(
    '/api/v1/admin/jobs/:queue/:jobId/retry',
    {
      config: admin,
      schema: {
        tags: ['admin'],
        summary: 'Retry one failed job',
        params: Type.Object({ queue: QueueName, jobId: Type.String({ minLength: 1, maxLength: 200 }) }),
        response: {
          200: Type.Object({ queue: Type.String(), id: Type.String(), retried: Type.Boolean() }),
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    async (request) => {
      await retryOneJob(core(), requireUser(request), request.params.queue, request.params.jobId);
      return { queue: request.params.queue, id: request.params.jobId, retried: true };
    },
  );
}

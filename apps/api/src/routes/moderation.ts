import { Type } from 'typebox';
import {
  REPORT_REASON_MAX,
  REPORT_SUBJECTS,
  RESOLUTION_NOTE_MAX,
  TAKEDOWN_REASON_MAX,
  TAKEDOWN_SUBJECTS,
  createReport,
  listAudit,
  listReports,
  resolveReport,
  restore,
  takeDown,
  type AdminReportView,
  type AuditEntry,
  type ReportView,
  type TakedownSubjectType,
  type TakedownView,
} from '@earshot/core';
import {
  AdminPageQuery,
  DateTime,
  errorResponses,
  Id,
  ById,
  Nullable,
  NullableDate,
  PageOf,
  TakedownFields,
} from '../schemas.ts';
import { requireUser } from '../current-user.ts';
import type { Api, RouteDeps } from '../types.ts';
import { endpointsTagged } from '../http/endpoint.ts';

const Subject = Type.Union([
  Type.Literal(REPORT_SUBJECTS[0]),
  Type.Literal(REPORT_SUBJECTS[1]),
  Type.Literal(REPORT_SUBJECTS[2]),
]);
const Status = Type.Union([Type.Literal('open'), Type.Literal('resolved'), Type.Literal('dismissed')]);
const UserRef = Type.Union([Type.Object({ id: Type.String(), handle: Type.String() }), Type.Null()]);

const reportFields = {
  id: Type.String(),
  subjectType: Subject,
  subjectId: Type.String(),
  reason: Type.String(),
  status: Status,
  createdAt: DateTime,
  resolvedAt: NullableDate,
  resolutionNote: Nullable(Type.String()),
};
const ReportSchema = Type.Object(reportFields);
const AdminReportSchema = Type.Object({
  ...reportFields,
  reporter: UserRef,
  subjectUser: UserRef,
  resolvedBy: UserRef,
  subjectLabel: Nullable(Type.String()),
  subjectTrackId: Nullable(Type.String()),
  subjectTakenDownAt: NullableDate,
});
const TakedownSchema = Type.Object({
  subjectType: Type.String(),
  id: Type.String(),
  ...TakedownFields,
});
const AuditSchema = Type.Object({
  id: Type.String(),
  actor: Type.Object({ id: Nullable(Type.String()), handle: Type.String() }),
  action: Type.String(),
  subjectType: Type.String(),
  subjectId: Type.String(),
  reason: Nullable(Type.String()),
  details: Type.Record(Type.String(), Type.Unknown()),
  createdAt: DateTime,
});

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const presentReport = (r: ReportView) => ({
  ...r,
  createdAt: r.createdAt.toISOString(),
  resolvedAt: iso(r.resolvedAt),
});
const presentAdminReport = (r: AdminReportView) => ({
  ...r,
  createdAt: r.createdAt.toISOString(),
  resolvedAt: iso(r.resolvedAt),
  subjectTakenDownAt: iso(r.subjectTakenDownAt),
});
const presentTakedown = (t: TakedownView) => ({ ...t, takenDownAt: iso(t.takenDownAt) });
const presentAudit = (a: AuditEntry) => ({ ...a, createdAt: a.createdAt.toISOString() });

const endpoint = endpointsTagged('admin');
const moderationEndpoint = endpointsTagged('moderation');

/**
 * Moderation (docs/architecture.md, "Moderation"): users report, admins work the queue, take
 * content down or restore it with a reason, and read the audit log of every admin action.
 */
export function moderationRoutes(app: Api, deps: RouteDeps): void {
  const core = () => deps.core;

  app.post(
    '/api/v1/reports',
    moderationEndpoint(
      'signed-in',
      'Report a track, a comment or an account you can see, with a reason; a repeat of your open report about the same thing answers that report (200)',
      {
        body: Type.Object(
          {
            subjectType: Subject,
            subjectId: Id,
            reason: Type.String({ minLength: 1, maxLength: REPORT_REASON_MAX, 'x-text': 'multiline' }),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ report: ReportSchema }),
          201: Type.Object({ report: ReportSchema }),
          ...errorResponses(400, 401, 403, 404, 429),
        },
      },
      { rateLimit: 'report' },
    ),
    async (request, reply) => {
      const { report, created } = await createReport(core(), requireUser(request), request.body);
      reply.code(created ? 201 : 200);
      return { report: presentReport(report) };
    },
  );

  app.get(
    '/api/v1/admin/reports',
    endpoint({ roles: ['admin'] }, 'The reports queue, newest first (default: open ones)', {
      querystring: Type.Object(
        {
          status: Type.Union([Status, Type.Literal('all')], { default: 'open' }),
          subjectUserId: Type.Optional(Id),
          ...AdminPageQuery,
        },
        { additionalProperties: false },
      ),
      response: {
        200: Type.Object({
          items: Type.Array(AdminReportSchema),
          nextCursor: Nullable(Type.String()),
        }),
        ...errorResponses(400, 401, 403),
      },
    }),
    async (request) => {
      const page = await listReports(core(), request.query);
      return { items: page.items.map(presentAdminReport), nextCursor: page.nextCursor };
    },
  );

  app.post(
    '/api/v1/admin/reports/:id/resolve',
    endpoint({ roles: ['admin'] }, 'Close a report: resolved (acted upon) or dismissed', {
      params: ById,
      body: Type.Object(
        {
          status: Type.Union([Type.Literal('resolved'), Type.Literal('dismissed')]),
          note: Type.Optional(Type.String({ maxLength: RESOLUTION_NOTE_MAX, 'x-text': 'multiline' })),
        },
        { additionalProperties: false },
      ),
      response: { 200: Type.Object({ report: ReportSchema }), ...errorResponses(400, 401, 403, 404) },
    }),
    async (request) => ({
      report: presentReport(await resolveReport(core(), requireUser(request), request.params.id, request.body)),
    }),
  );

  const plural: Record<TakedownSubjectType, string> = { track: 'tracks', release: 'releases', comment: 'comments' };
  for (const subject of TAKEDOWN_SUBJECTS) {
    app.post(
      `/api/v1/admin/${plural[subject]}/:id/takedown`,
      endpoint(
        { roles: ['admin'] },
        `Take a ${subject} down with a reason its owner sees; nobody else sees it anywhere`,
        {
          params: ById,
          body: Type.Object(
            { reason: Type.String({ minLength: 1, maxLength: TAKEDOWN_REASON_MAX, 'x-text': 'multiline' }) },
            { additionalProperties: false },
          ),
          response: { 200: Type.Object({ takedown: TakedownSchema }), ...errorResponses(400, 401, 403, 404) },
        },
      ),
      async (request) => ({
        takedown: presentTakedown(
          await takeDown(core(), requireUser(request), subject, request.params.id, request.body.reason),
        ),
      }),
    );
    app.post(
      `/api/v1/admin/${plural[subject]}/:id/restore`,
      endpoint({ roles: ['admin'] }, `Restore a taken-down ${subject}`, {
        params: ById,
        body: Type.Optional(
          Type.Object(
            { reason: Type.Optional(Type.String({ maxLength: TAKEDOWN_REASON_MAX, 'x-text': 'multiline' })) },
            { additionalProperties: false },
          ),
        ),
        response: { 200: Type.Object({ takedown: TakedownSchema }), ...errorResponses(400, 401, 403, 404) },
      }),
      async (request) => ({
        takedown: presentTakedown(
          await restore(core(), requireUser(request), subject, request.params.id, request.body?.reason),
        ),
      }),
    );
  }

  app.get(
    '/api/v1/admin/audit',
    endpoint({ roles: ['admin'] }, 'The audit log: every admin action (who, what, when, why), newest first', {
      querystring: Type.Object(
        {
          subjectType: Type.Optional(Type.String({ maxLength: 32 })),
          subjectId: Type.Optional(Type.String({ maxLength: 200 })),
          ...AdminPageQuery,
        },
        { additionalProperties: false },
      ),
      response: {
        200: PageOf(AuditSchema),
        ...errorResponses(400, 401, 403),
      },
    }),
    async (request) => {
      const page = await listAudit(core(), request.query);
      return { items: page.items.map(presentAudit), nextCursor: page.nextCursor };
    },
  );
}

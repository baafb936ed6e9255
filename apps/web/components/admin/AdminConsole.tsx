'use client';

/**
 * The admin console (docs/operations.md, "Admin console"): reports queue, users, content, jobs and
 * the audit log, over the admin API only, through the typed client (docs/architecture.md, "The web
 * and the API"). Every action states a reason where one is asked; the API writes each to the audit
 * log.
 */
import { useEffect, useId, useState, type ReactNode } from 'react';
import { api, ok, type ApiResponse, type paths } from '@/lib/api/client';
import { useFormSubmit } from '@/lib/hooks/use-form-submit';
import { useResource, type ResourceState } from '@/lib/hooks/use-resource';
import { DataTable } from '../table/DataTable';
import { RetryError } from '@/components/LoadFailed';
import { Notice } from '@/components/Notice';
import { Reveal } from '@/components/Reveal';
import { SearchForm } from '@/components/search/SearchForm';
import './admin.css';
import { RESOLUTION_NOTE_MAX, TAKEDOWN_REASON_MAX } from '@earshot/core/field-limits';

type Tab = 'reports' | 'users' | 'content' | 'jobs' | 'audit';
const TABS: Array<[Tab, string]> = [
  ['reports', 'Reports'],
  ['users', 'Users'],
  ['content', 'Content'],
  ['jobs', 'Jobs'],
  ['audit', 'Audit log'],
];

type Report = ApiResponse<'/api/v1/admin/reports'>['items'][number];
type ReportFilter = paths['/api/v1/admin/reports']['get']['parameters']['query']['status'];
type AdminUser = ApiResponse<'/api/v1/admin/users'>['items'][number];
type Role = AdminUser['role'];
type ContentItem = ApiResponse<'/api/v1/admin/content'>['items'][number];
type ContentKind = paths['/api/v1/admin/content']['get']['parameters']['query']['type'];
type QueueCounts = ApiResponse<'/api/v1/admin/jobs'>['queues'][number];
type QueueName = paths['/api/v1/admin/jobs/failed']['get']['parameters']['query']['queue'];
type AuditEntry = ApiResponse<'/api/v1/admin/audit'>['items'][number];

/** The API's default page of the admin lists. */
const PAGE = 50;
const KINDS: readonly ContentKind[] = ['track', 'release', 'comment'];
const isKind = (type: string): type is ContentKind => (KINDS as readonly string[]).includes(type);

/** Take a track, release or comment down: the owner sees `reason`. */
function takeDown(kind: ContentKind, id: string, reason: string) {
  const init = { params: { path: { id } }, body: { reason } };
  if (kind === 'track') return ok(api.POST('/api/v1/admin/tracks/{id}/takedown', init));
  if (kind === 'release') return ok(api.POST('/api/v1/admin/releases/{id}/takedown', init));
  return ok(api.POST('/api/v1/admin/comments/{id}/takedown', init));
}

function restore(kind: ContentKind, id: string, reason: string) {
  const init = { params: { path: { id } }, body: reason ? { reason } : {} };
  if (kind === 'track') return ok(api.POST('/api/v1/admin/tracks/{id}/restore', init));
  if (kind === 'release') return ok(api.POST('/api/v1/admin/releases/{id}/restore', init));
  return ok(api.POST('/api/v1/admin/comments/{id}/restore', init));
}

const resolveReport = (id: string, status: 'resolved' | 'dismissed', note: string) =>
  ok(
    api.POST('/api/v1/admin/reports/{id}/resolve', {
      params: { path: { id } },
      body: { status, ...(note ? { note } : {}) },
    }),
  );

const disableUser = (id: string, reason: string) =>
  ok(api.POST('/api/v1/admin/users/{id}/disable', { params: { path: { id }, query: { reason } } }));

const enableUser = (id: string, reason: string) =>
  ok(api.POST('/api/v1/admin/users/{id}/enable', { params: { path: { id }, query: reason ? { reason } : {} } }));

function Status({ resource }: { resource: ResourceState<unknown> & { retry(): void } }) {
  if (resource.status === 'error')
    return <RetryError className="admin-item__actions" message={resource.message} retry={resource.retry} />;
  return resource.status === 'loading' ? <p role="status">Loading…</p> : null;
}

/** A choice of one value among `options` (value → what the option says), named by `label`. */
function Choice<T extends string>({
  label,
  labelHidden,
  value,
  options,
  onChange,
}: {
  label: string;
  /** The name is for assistive technology only (the toolbar around says what it is). */
  labelHidden?: boolean;
  value: T | '';
  options: Record<NoInfer<T>, string>;
  onChange(value: NoInfer<T>): void;
}) {
  const id = useId();
  const select = (
    <select
      id={id}
      className="inline-input"
      aria-label={labelHidden ? label : undefined}
      value={value}
      onChange={(e) => onChange(e.target.value as T)}
    >
      {(Object.entries(options) as Array<[T, string]>).map(([v, text]) => (
        <option key={v} value={v}>
          {text}
        </option>
      ))}
    </select>
  );
  if (labelHidden) return select;
  return (
    <>
      <label htmlFor={id}>{label}</label> {select}
    </>
  );
}

/** A message of a failed action, read out when it appears. */
function ActionError({ message }: { message: string | null }) {
  return <Notice className="form__error" message={message} />;
}

/**
 * A button that asks for a reason inline, then runs `act(reason)`. The field's placeholder says
 * what to write ("Why" by default), and "(optional)" when it may stay empty.
 */
function ReasonAction({
  label,
  placeholder = 'Why',
  act,
  testId,
  required = true,
  maxLength = TAKEDOWN_REASON_MAX,
}: {
  label: string;
  placeholder?: string;
  act: (reason: string) => Promise<unknown>;
  testId?: string;
  required?: boolean;
  /** The API's limit for this reason or note. */
  maxLength?: number;
}) {
  const submit = useFormSubmit(['reason']);
  const error = submit.errors.fields.reason ?? submit.errors.form;
  return (
    <Reveal label={label} testId={testId}>
      {(close) => (
        <form
          className="admin-item__actions"
          onSubmit={submit.onSubmit(async (form) => {
            await act(String(form.get('reason') ?? ''));
            close();
          })}
        >
          <input
            name="reason"
            className="inline-input"
            aria-label={`Reason: ${label}`}
            placeholder={required ? placeholder : `${placeholder} (optional)`}
            required={required}
            maxLength={maxLength}
            autoFocus
            aria-invalid={error ? true : undefined}
            data-testid={testId ? `${testId}-reason` : undefined}
          />
          <button
            type="submit"
            className="button button--accent"
            disabled={submit.pending}
            data-testid={testId ? `${testId}-confirm` : undefined}
          >
            {label}
          </button>
          <button type="button" className="button button--ghost" onClick={close}>
            Cancel
          </button>
          <Notice as="span" className="form__error" message={error} />
        </form>
      )}
    </Reveal>
  );
}

const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : '');

function Reports() {
  const [status, setStatus] = useState<ReportFilter>('open');
  const reports = useResource(`reports:${status}`, (signal) =>
    ok(api.GET('/api/v1/admin/reports', { params: { query: { status, limit: PAGE } }, signal })),
  );
  const items = reports.status === 'ready' ? reports.data.items : null;
  return (
    <div>
      <div className="admin-toolbar">
        <Choice
          label="Show"
          value={status}
          options={{ open: 'open', resolved: 'resolved', dismissed: 'dismissed', all: 'all' }}
          onChange={setStatus}
        />
      </div>
      <Status resource={reports} />
      {items?.length === 0 && <p>No reports.</p>}
      <ul className="admin-list" aria-label="Reports">
        {items?.map((r) => (
          <ReportItem key={r.id} report={r} onChanged={reports.retry} />
        ))}
      </ul>
    </div>
  );
}

function ReportItem({ report: r, onChanged }: { report: Report; onChanged: () => void }) {
  return (
    <li className="admin-item" data-testid="admin-report">
      <div>
        <strong>{r.subjectType}</strong> {r.subjectLabel ? `“${r.subjectLabel}”` : '(gone)'}{' '}
        {r.subjectTakenDownAt && <span className="admin-badge">taken down</span>}
      </div>
      <div>Reason: {r.reason}</div>
      <div className="admin-item__meta">
        by {r.reporter ? `@${r.reporter.handle}` : 'deleted user'} · against{' '}
        {r.subjectUser ? `@${r.subjectUser.handle}` : '—'} · {when(r.createdAt)} · {r.status}
      </div>
      {r.status === 'open' && (
        <div className="admin-item__actions">
          {r.subjectType !== 'user' && (
            <ReasonAction
              label="Take down"
              placeholder="Reason the owner will see"
              testId="report-takedown"
              act={async (reason) => {
                await takeDown(r.subjectType as 'track' | 'comment', r.subjectId, reason);
                onChanged();
              }}
            />
          )}
          {r.subjectType === 'user' && (
            <ReasonAction
              label="Disable account"
              act={async (reason) => {
                await disableUser(r.subjectId, reason);
                await resolveReport(r.id, 'resolved', reason);
                onChanged();
              }}
            />
          )}
          <ReasonAction
            label="Dismiss"
            placeholder="Note"
            required={false}
            maxLength={RESOLUTION_NOTE_MAX}
            act={async (note) => {
              await resolveReport(r.id, 'dismissed', note);
              onChanged();
            }}
          />
        </div>
      )}
    </li>
  );
}

function UserDetail({ id, onChanged }: { id: string; onChanged: () => void }) {
  const detail = useResource(`user:${id}`, (signal) =>
    ok(api.GET('/api/v1/admin/users/{id}', { params: { path: { id } }, signal })),
  );
  const reports = useResource(`user-reports:${id}`, (signal) =>
    ok(
      api.GET('/api/v1/admin/reports', {
        params: { query: { status: 'all', subjectUserId: id, limit: PAGE } },
        signal,
      }),
    ),
  );
  const data = detail.status === 'ready' ? detail.data : null;
  const [role, setRole] = useState<Role | ''>('');
  const change = useFormSubmit([]);
  useEffect(() => setRole(data?.user.role ?? ''), [data]);
  if (!data) return <Status resource={detail} />;
  const u = data.user;
  const done = () => {
    detail.retry();
    onChanged();
  };
  const reportItems = reports.status === 'ready' ? reports.data.items : [];
  return (
    <div className="admin-item" data-testid="admin-user-detail">
      <h3>
        {u.displayName} (@{u.handle}) {u.disabledAt && <span className="admin-badge">disabled</span>}
      </h3>
      <div className="admin-item__meta">{u.email}</div>
      <div className="admin-item__actions">
        <Choice
          label="Role"
          value={role}
          options={{ listener: 'listener', artist: 'artist', admin: 'admin' }}
          onChange={setRole}
        />
        <button
          type="button"
          className="button button--ghost"
          disabled={role === u.role || role === '' || change.pending}
          onClick={() =>
            void change.run(async () => {
              if (role === '') return;
              await ok(api.PUT('/api/v1/admin/users/{id}/role', { params: { path: { id } }, body: { role } }));
              done();
            })
          }
        >
          Change role
        </button>
        {u.disabledAt ? (
          <ReasonAction
            label="Enable"
            required={false}
            act={async (reason) => {
              await enableUser(id, reason);
              done();
            }}
          />
        ) : (
          <ReasonAction
            label="Disable"
            act={async (reason) => {
              await disableUser(id, reason);
              done();
            }}
          />
        )}
      </div>
      <ActionError message={change.errors.form} />
      <h4>Uploads ({data.uploads.length})</h4>
      <ul className="admin-list">
        {data.uploads.map((t) => (
          <li key={t.id}>
            {t.title} · {t.visibility}{' '}
            {t.takenDownAt && <span className="admin-badge">taken down: {t.takedownReason}</span>}
          </li>
        ))}
      </ul>
      <h4>Reports against them ({reportItems.length})</h4>
      <Status resource={reports} />
      <ul className="admin-list">
        {reportItems.map((r) => (
          <li key={r.id}>
            {r.subjectType} “{r.subjectLabel ?? 'gone'}”: {r.reason} ({r.status})
          </li>
        ))}
      </ul>
    </div>
  );
}

function Users() {
  const [q, setQ] = useState('');
  const [query, setQuery] = useState('');
  const [open, setOpen] = useState<string | null>(null);
  const users = useResource(`users:${query}`, (signal) =>
    ok(api.GET('/api/v1/admin/users', { params: { query: { limit: PAGE, ...(query ? { q: query } : {}) } }, signal })),
  );
  return (
    <div>
      <SearchToolbar onSearch={() => setQuery(q)}>
        <SearchField
          label="Search users by handle, name or email"
          placeholder="handle, name or email"
          value={q}
          onChange={setQ}
        />
      </SearchToolbar>
      <Status resource={users} />
      {open && <UserDetail id={open} onChanged={users.retry} />}
      <ul className="admin-list" aria-label="Users">
        {users.status === 'ready' &&
          users.data.items.map((u) => (
            <li key={u.id} className="admin-item">
              <div className="admin-item__actions">
                <button type="button" className="link-button" onClick={() => setOpen(u.id)}>
                  {u.displayName} (@{u.handle})
                </button>
                <span className="admin-item__meta">
                  {u.role} · {u.email} {u.openReports > 0 && `· ${u.openReports} open report(s)`}
                </span>
                {u.disabledAt && <span className="admin-badge">disabled</span>}
              </div>
            </li>
          ))}
      </ul>
    </div>
  );
}

function Content() {
  const [type, setType] = useState<ContentKind>('track');
  const [q, setQ] = useState('');
  const [query, setQuery] = useState('');
  const [onlyDown, setOnlyDown] = useState(false);
  const content = useResource(`content:${type}:${onlyDown}:${query}`, (signal) =>
    ok(
      api.GET('/api/v1/admin/content', {
        params: {
          query: { type, limit: PAGE, ...(query ? { q: query } : {}), ...(onlyDown ? { takenDown: true } : {}) },
        },
        signal,
      }),
    ),
  );
  return (
    <div>
      <SearchToolbar onSearch={() => setQuery(q)}>
        <Choice
          label="Kind of content"
          labelHidden
          value={type}
          options={{ track: 'tracks', release: 'releases', comment: 'comments' }}
          onChange={setType}
        />
        <SearchField label="Search content" placeholder="title or text" value={q} onChange={setQ} />
        <label>
          <input
            type="checkbox"
            className="inline-input"
            checked={onlyDown}
            onChange={(e) => setOnlyDown(e.target.checked)}
          />{' '}
          taken down only
        </label>
      </SearchToolbar>
      <Status resource={content} />
      <ul className="admin-list" aria-label="Content">
        {content.status === 'ready' &&
          content.data.items.map((c) => <ContentRow key={`${c.type}-${c.id}`} item={c} onChanged={content.retry} />)}
      </ul>
    </div>
  );
}

function ContentRow({ item: c, onChanged }: { item: ContentItem; onChanged: () => void }) {
  const kind = isKind(c.type) ? c.type : null;
  return (
    <li className="admin-item" data-testid="admin-content">
      <div>
        {c.label} {c.takenDownAt && <span className="admin-badge">taken down: {c.takedownReason}</span>}
      </div>
      <div className="admin-item__meta">
        {c.type} #{c.id} · {c.owner ? `@${c.owner.handle}` : 'deleted user'}
      </div>
      {kind && (
        <div className="admin-item__actions">
          {c.takenDownAt ? (
            <ReasonAction
              label="Restore"
              required={false}
              act={async (reason) => {
                await restore(kind, c.id, reason);
                onChanged();
              }}
            />
          ) : (
            <ReasonAction
              label="Take down"
              placeholder="Reason the owner will see"
              act={async (reason) => {
                await takeDown(kind, c.id, reason);
                onChanged();
              }}
            />
          )}
        </div>
      )}
    </li>
  );
}

function QueueFailures({ queue, onChanged }: { queue: QueueName; onChanged: () => void }) {
  const failed = useResource(`failed:${queue}`, (signal) =>
    ok(api.GET('/api/v1/admin/jobs/failed', { params: { query: { queue, limit: 50 } }, signal })),
  );
  const action = useFormSubmit([]);
  const run = (call: () => Promise<unknown>) =>
    void action.run(async () => {
      await call();
      failed.retry();
      onChanged();
    });
  const jobs = failed.status === 'ready' ? failed.data.jobs : null;
  return (
    <div className="admin-item">
      <div className="admin-item__actions">
        <h3>Failed in {queue}</h3>
        {!!jobs?.length && (
          <button
            type="button"
            className="button button--ghost"
            disabled={action.pending}
            onClick={() => run(() => ok(api.POST('/api/v1/admin/jobs/retry', { body: { queue, limit: 1000 } })))}
            data-testid="retry-all"
          >
            Retry all
          </button>
        )}
      </div>
      <Status resource={failed} />
      <ActionError message={action.errors.form} />
      {jobs?.length === 0 && <p>None.</p>}
      <ul className="admin-list">
        {jobs?.map((j) => (
          <li key={j.id} className="admin-item" data-testid="failed-job">
            <div className="admin-item__meta">
              job {j.id} · {j.attemptsMade} attempt(s) · {when(j.failedAt)}
            </div>
            <pre className="admin-error">{j.error}</pre>
            <div className="admin-item__actions">
              <button
                type="button"
                className="button button--ghost"
                disabled={action.pending}
                onClick={() =>
                  run(() =>
                    ok(
                      api.POST('/api/v1/admin/jobs/{queue}/{jobId}/retry', {
                        params: { path: { queue, jobId: j.id } },
                      }),
                    ),
                  )
                }
                data-testid="retry-job"
              >
                Retry
              </button>
            </div>
          </li>
        ))}
      </ul>
    </div>
  );
}

function Jobs() {
  const counts = useResource('jobs', (signal) => ok(api.GET('/api/v1/admin/jobs', { signal })));
  const [open, setOpen] = useState<QueueName | null>(null);
  return (
    <div>
      <Status resource={counts} />
      {counts.status === 'ready' && (
        <DataTable<QueueCounts>
          caption="Jobs per queue"
          rows={counts.data.queues}
          rowKey={(q) => q.queue}
          rowTestId={(q) => `queue-${q.queue}`}
          columns={[
            { label: 'Queue', cell: (q) => q.queue, rowHeader: true },
            { label: 'Waiting', cell: (q) => q.waiting },
            { label: 'Active', cell: (q) => q.active },
            { label: 'Delayed', cell: (q) => q.delayed },
            {
              label: 'Failed',
              cell: (q) =>
                q.failed > 0 ? (
                  <button
                    type="button"
                    className="link-button"
                    // The names in this list are the API's own queues (the ones /jobs/failed takes).
                    onClick={() => setOpen(q.queue as QueueName)}
                    data-testid={`failed-${q.queue}`}
                  >
                    {q.failed}
                  </button>
                ) : (
                  0
                ),
            },
          ]}
        />
      )}
      {open && <QueueFailures queue={open} onChanged={counts.retry} />}
    </div>
  );
}

function Audit() {
  const audit = useResource('audit', (signal) =>
    ok(api.GET('/api/v1/admin/audit', { params: { query: { limit: 100 } }, signal })),
  );
  return (
    <div>
      <Status resource={audit} />
      <DataTable<AuditEntry>
        caption="Admin actions, newest first"
        rows={audit.status === 'ready' ? audit.data.items : []}
        rowKey={(e) => e.id}
        rowTestId="audit-entry"
        columns={[
          { label: 'When', cell: (e) => when(e.createdAt) },
          { label: 'Who', cell: (e) => `@${e.actor.handle}` },
          { label: 'What', cell: (e) => `${e.action} ${e.subjectType} ${e.subjectId}` },
          { label: 'Why', cell: (e) => e.reason ?? '' },
        ]}
      />
    </div>
  );
}

export function AdminConsole() {
  const [tab, setTab] = useState<Tab>('reports');
  const panels: Record<Tab, ReactNode> = {
    reports: <Reports />,
    users: <Users />,
    content: <Content />,
    jobs: <Jobs />,
    audit: <Audit />,
  };
  return (
    <div>
      <div className="admin-tabs" role="tablist" aria-label="Console sections">
        {TABS.map(([key, label]) => (
          <button
            key={key}
            type="button"
            role="tab"
            id={`tab-${key}`}
            aria-selected={tab === key}
            aria-controls={`panel-${key}`}
            className="button button--ghost"
            onClick={() => setTab(key)}
          >
            {label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`}>
        {panels[tab]}
      </div>
    </div>
  );
}

/** The text field of a search bar. */
function SearchField({
  label,
  placeholder,
  value,
  onChange,
}: {
  label: string;
  placeholder: string;
  value: string;
  onChange: (value: string) => void;
}) {
  return (
    <input
      type="search"
      className="inline-input"
      aria-label={label}
      value={value}
      onChange={(e) => onChange(e.target.value)}
      placeholder={placeholder}
    />
  );
}

/** The admin lists' search bar: its fields, then Search (Enter submits without leaving the page). */
function SearchToolbar({ onSearch, children }: { onSearch: () => void; children: ReactNode }) {
  return (
    <SearchForm className="admin-toolbar" onSearch={onSearch}>
      {children}
      <button type="submit" className="button button--ghost">
        Search
      </button>
    </SearchForm>
  );
}

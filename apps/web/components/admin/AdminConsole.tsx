'use client';

/**
 * The admin console (docs/operations.md, "Admin console"): reports queue, users, content, jobs and
 * the audit log, over the admin API only. Every action states a reason where one is asked; the
 * API writes each to the audit log.
 */
import { useCallback, useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { apiFetch, describeApiError } from '@/lib/api';
import { DataTable } from '../table/DataTable';
import './admin.css';

type Tab = 'reports' | 'users' | 'content' | 'jobs' | 'audit';
const TABS: Array<[Tab, string]> = [
  ['reports', 'Reports'],
  ['users', 'Users'],
  ['content', 'Content'],
  ['jobs', 'Jobs'],
  ['audit', 'Audit log'],
];

interface Ref {
  id: string;
  handle: string;
}
interface Report {
  id: string;
  subjectType: 'track' | 'comment' | 'user';
  subjectId: string;
  reason: string;
  status: string;
  createdAt: string;
  reporter: Ref | null;
  subjectUser: Ref | null;
  subjectLabel: string | null;
  subjectTrackId: string | null;
  subjectTakenDownAt: string | null;
}
interface AdminUser {
  id: string;
  handle: string;
  displayName: string;
  email: string;
  role: 'listener' | 'artist' | 'admin';
  disabledAt: string | null;
  openReports: number;
}
interface Upload {
  id: string;
  title: string;
  visibility: string;
  takenDownAt: string | null;
  takedownReason: string | null;
}
interface ContentItem {
  type: 'track' | 'release' | 'comment';
  id: string;
  label: string;
  owner: Ref | null;
  takenDownAt: string | null;
  takedownReason: string | null;
}
interface QueueCounts {
  queue: string;
  waiting: number;
  active: number;
  failed: number;
  delayed: number;
}
interface FailedJob {
  id: string;
  queue: string;
  attemptsMade: number;
  error: string;
  failedAt: string | null;
}
interface AuditEntry {
  id: string;
  actor: { handle: string };
  action: string;
  subjectType: string;
  subjectId: string;
  reason: string | null;
  createdAt: string;
}

function useLoad<T>(path: string | null): { data: T | null; error: string | null; reload: () => void } {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [n, setN] = useState(0);
  useEffect(() => {
    if (!path) return;
    const controller = new AbortController();
    apiFetch<T>(path, { signal: controller.signal }).then(
      (body) => {
        setData(body);
        setError(null);
      },
      (err: unknown) => !controller.signal.aborted && setError(describeApiError(err)),
    );
    return () => controller.abort();
  }, [path, n]);
  return { data, error, reload: useCallback(() => setN((x) => x + 1), []) };
}

function Status({ error, loading }: { error: string | null; loading: boolean }) {
  if (error)
    return (
      <p className="form__error" role="alert">
        {error}
      </p>
    );
  return loading ? <p role="status">Loading…</p> : null;
}

/** A button that asks for a reason inline, then runs `act(reason)`. */
function ReasonAction({
  label,
  placeholder,
  act,
  testId,
  required = true,
}: {
  label: string;
  placeholder: string;
  act: (reason: string) => Promise<unknown>;
  testId?: string;
  required?: boolean;
}) {
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const reason = String(new FormData(e.currentTarget).get('reason') ?? '');
    try {
      await act(reason);
      setOpen(false);
      setError(null);
    } catch (err) {
      setError(describeApiError(err));
    }
  };
  if (!open)
    return (
      <button type="button" className="button button--ghost" onClick={() => setOpen(true)} data-testid={testId}>
        {label}
      </button>
    );
  return (
    <form className="admin-item__actions" onSubmit={(e) => void submit(e)}>
      <input
        name="reason"
        aria-label={`Reason: ${label}`}
        placeholder={placeholder}
        required={required}
        maxLength={1000}
        autoFocus
        data-testid={testId ? `${testId}-reason` : undefined}
      />
      <button type="submit" className="button button--accent" data-testid={testId ? `${testId}-confirm` : undefined}>
        {label}
      </button>
      <button type="button" className="button button--ghost" onClick={() => setOpen(false)}>
        Cancel
      </button>
      {error && (
        <span className="form__error" role="alert">
          {error}
        </span>
      )}
    </form>
  );
}

const post = (path: string, json: unknown = {}) => apiFetch(path, { method: 'POST', json });
const plural = { track: 'tracks', release: 'releases', comment: 'comments' } as const;
const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : '');

function Reports() {
  const [status, setStatus] = useState('open');
  const { data, error, reload } = useLoad<{ items: Report[] }>(`/api/v1/admin/reports?status=${status}`);
  return (
    <div>
      <div className="admin-toolbar">
        <label>
          Show{' '}
          <select value={status} onChange={(e) => setStatus(e.target.value)}>
            <option value="open">open</option>
            <option value="resolved">resolved</option>
            <option value="dismissed">dismissed</option>
            <option value="all">all</option>
          </select>
        </label>
      </div>
      <Status error={error} loading={!data} />
      {data && data.items.length === 0 && <p>No reports.</p>}
      <ul className="admin-list" aria-label="Reports">
        {data?.items.map((r) => (
          <li key={r.id} className="admin-item" data-testid="admin-report">
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
                      await post(
                        `/api/v1/admin/${plural[r.subjectType as 'track' | 'comment']}/${r.subjectId}/takedown`,
                        { reason },
                      );
                      reload();
                    }}
                  />
                )}
                {r.subjectType === 'user' && (
                  <ReasonAction
                    label="Disable account"
                    placeholder="Why"
                    act={async (reason) => {
                      await post(`/api/v1/admin/users/${r.subjectId}/disable?reason=${encodeURIComponent(reason)}`);
                      await post(`/api/v1/admin/reports/${r.id}/resolve`, { status: 'resolved', note: reason });
                      reload();
                    }}
                  />
                )}
                <ReasonAction
                  label="Dismiss"
                  placeholder="Note (optional)"
                  required={false}
                  act={async (note) => {
                    await post(`/api/v1/admin/reports/${r.id}/resolve`, {
                      status: 'dismissed',
                      ...(note ? { note } : {}),
                    });
                    reload();
                  }}
                />
              </div>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

function UserDetail({ id, onChanged }: { id: string; onChanged: () => void }) {
  const { data, error, reload } = useLoad<{ user: AdminUser; uploads: Upload[] }>(`/api/v1/admin/users/${id}`);
  const reports = useLoad<{ items: Report[] }>(`/api/v1/admin/reports?status=all&subjectUserId=${id}`);
  const [role, setRole] = useState<string>('');
  const [msg, setMsg] = useState<string | null>(null);
  useEffect(() => setRole(data?.user.role ?? ''), [data]);
  if (!data) return <Status error={error} loading />;
  const u = data.user;
  const done = () => {
    reload();
    onChanged();
  };
  return (
    <div className="admin-item" data-testid="admin-user-detail">
      <h3>
        {u.displayName} (@{u.handle}) {u.disabledAt && <span className="admin-badge">disabled</span>}
      </h3>
      <div className="admin-item__meta">{u.email}</div>
      <div className="admin-item__actions">
        <label>
          Role{' '}
          <select value={role} onChange={(e) => setRole(e.target.value)}>
            <option value="listener">listener</option>
            <option value="artist">artist</option>
            <option value="admin">admin</option>
          </select>
        </label>
        <button
          type="button"
          className="button button--ghost"
          disabled={role === u.role}
          onClick={() =>
            void apiFetch(`/api/v1/admin/users/${id}/role`, { method: 'PUT', json: { role } }).then(
              done,
              (e: unknown) => setMsg(describeApiError(e)),
            )
          }
        >
          Change role
        </button>
        {u.disabledAt ? (
          <ReasonAction
            label="Enable"
            placeholder="Why (optional)"
            required={false}
            act={async (reason) => {
              await post(`/api/v1/admin/users/${id}/enable${reason ? `?reason=${encodeURIComponent(reason)}` : ''}`);
              done();
            }}
          />
        ) : (
          <ReasonAction
            label="Disable"
            placeholder="Why"
            act={async (reason) => {
              await post(`/api/v1/admin/users/${id}/disable?reason=${encodeURIComponent(reason)}`);
              done();
            }}
          />
        )}
      </div>
      {msg && (
        <p className="form__error" role="alert">
          {msg}
        </p>
      )}
      <h4>Uploads ({data.uploads.length})</h4>
      <ul className="admin-list">
        {data.uploads.map((t) => (
          <li key={t.id}>
            {t.title} · {t.visibility}{' '}
            {t.takenDownAt && <span className="admin-badge">taken down: {t.takedownReason}</span>}
          </li>
        ))}
      </ul>
      <h4>Reports against them ({reports.data?.items.length ?? 0})</h4>
      <ul className="admin-list">
        {reports.data?.items.map((r) => (
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
  const { data, error, reload } = useLoad<{ items: AdminUser[] }>(`/api/v1/admin/users?q=${encodeURIComponent(query)}`);
  return (
    <div>
      <form className="admin-toolbar" role="search" onSubmit={(e) => (e.preventDefault(), setQuery(q))}>
        <input
          type="search"
          aria-label="Search users by handle, name or email"
          value={q}
          onChange={(e) => setQ(e.target.value)}
          placeholder="handle, name or email"
        />
        <button type="submit" className="button button--ghost">
          Search
        </button>
      </form>
      <Status error={error} loading={!data} />
      {open && <UserDetail id={open} onChanged={reload} />}
      <ul className="admin-list" aria-label="Users">
        {data?.items.map((u) => (
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
  const [type, setType] = useState<'track' | 'release' | 'comment'>('track');
  const [q, setQ] = useState('');
  const [query, setQuery] = useState('');
  const [onlyDown, setOnlyDown] = useState(false);
  const { data, error, reload } = useLoad<{ items: ContentItem[] }>(
    `/api/v1/admin/content?type=${type}&q=${encodeURIComponent(query)}${onlyDown ? '&takenDown=true' : ''}`,
  );
  return (
    <div>
      <form className="admin-toolbar" role="search" onSubmit={(e) => (e.preventDefault(), setQuery(q))}>
        <select aria-label="Kind of content" value={type} onChange={(e) => setType(e.target.value as typeof type)}>
          <option value="track">tracks</option>
          <option value="release">releases</option>
          <option value="comment">comments</option>
        </select>
        <input
          type="search"
          aria-label="Search content"
          value={q}
          onChange={(e) => setQ(e.target.value)}
          placeholder="title or text"
        />
        <label>
          <input type="checkbox" checked={onlyDown} onChange={(e) => setOnlyDown(e.target.checked)} /> taken down only
        </label>
        <button type="submit" className="button button--ghost">
          Search
        </button>
      </form>
      <Status error={error} loading={!data} />
      <ul className="admin-list" aria-label="Content">
        {data?.items.map((c) => (
          <li key={`${c.type}-${c.id}`} className="admin-item" data-testid="admin-content">
            <div>
              {c.label} {c.takenDownAt && <span className="admin-badge">taken down: {c.takedownReason}</span>}
            </div>
            <div className="admin-item__meta">
              {c.type} #{c.id} · {c.owner ? `@${c.owner.handle}` : 'deleted user'}
            </div>
            <div className="admin-item__actions">
              {c.takenDownAt ? (
                <ReasonAction
                  label="Restore"
                  placeholder="Why (optional)"
                  required={false}
                  act={async (reason) => {
                    await post(`/api/v1/admin/${plural[c.type]}/${c.id}/restore`, reason ? { reason } : {});
                    reload();
                  }}
                />
              ) : (
                <ReasonAction
                  label="Take down"
                  placeholder="Reason the owner will see"
                  act={async (reason) => {
                    await post(`/api/v1/admin/${plural[c.type]}/${c.id}/takedown`, { reason });
                    reload();
                  }}
                />
              )}
            </div>
          </li>
        ))}
      </ul>
    </div>
  );
}

function QueueFailures({ queue, onChanged }: { queue: string; onChanged: () => void }) {
  const { data, error, reload } = useLoad<{ jobs: FailedJob[] }>(`/api/v1/admin/jobs/failed?queue=${queue}&limit=50`);
  const [msg, setMsg] = useState<string | null>(null);
  const run = (p: Promise<unknown>) =>
    p.then(
      () => {
        reload();
        onChanged();
      },
      (e: unknown) => setMsg(describeApiError(e)),
    );
  return (
    <div className="admin-item">
      <div className="admin-item__actions">
        <h3>Failed in {queue}</h3>
        {!!data?.jobs.length && (
          <button
            type="button"
            className="button button--ghost"
            onClick={() => void run(post('/api/v1/admin/jobs/retry', { queue, limit: 1000 }))}
            data-testid="retry-all"
          >
            Retry all
          </button>
        )}
      </div>
      <Status error={error ?? msg} loading={!data} />
      {data?.jobs.length === 0 && <p>None.</p>}
      <ul className="admin-list">
        {data?.jobs.map((j) => (
          <li key={j.id} className="admin-item" data-testid="failed-job">
            <div className="admin-item__meta">
              job {j.id} · {j.attemptsMade} attempt(s) · {when(j.failedAt)}
            </div>
            <pre className="admin-error">{j.error}</pre>
            <div className="admin-item__actions">
              <button
                type="button"
                className="button button--ghost"
                onClick={() => void run(post(`/api/v1/admin/jobs/${queue}/${encodeURIComponent(j.id)}/retry`))}
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
  const { data, error, reload } = useLoad<{ queues: QueueCounts[] }>('/api/v1/admin/jobs');
  const [open, setOpen] = useState<string | null>(null);
  return (
    <div>
      <Status error={error} loading={!data} />
      {data && (
        <DataTable<QueueCounts>
          caption="Jobs per queue"
          rows={data.queues}
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
                    onClick={() => setOpen(q.queue)}
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
      {open && <QueueFailures queue={open} onChanged={reload} />}
    </div>
  );
}

function Audit() {
  const { data, error } = useLoad<{ items: AuditEntry[] }>('/api/v1/admin/audit?limit=100');
  return (
    <div>
      <Status error={error} loading={!data} />
      <DataTable<AuditEntry>
        caption="Admin actions, newest first"
        rows={data?.items ?? []}
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

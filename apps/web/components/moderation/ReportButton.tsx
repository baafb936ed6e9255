'use client';

/** "Report": a signed-in user tells the moderators what is wrong with a track, comment or account. */
import { useState, type FormEvent } from 'react';
import { ApiError, apiFetch, describeApiError } from '@/lib/api';

export function ReportButton({
  subjectType,
  subjectId,
  what,
}: {
  subjectType: 'track' | 'comment' | 'user';
  subjectId: string;
  what: string;
}) {
  const [open, setOpen] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const reason = String(new FormData(e.currentTarget).get('reason') ?? '');
    setError(null);
    try {
      await apiFetch('/api/v1/reports', { method: 'POST', json: { subjectType, subjectId, reason } });
      setOpen(false);
      setMessage('Thank you: the moderators will look at it.');
    } catch (err) {
      setError(err instanceof ApiError && err.status === 401 ? 'Sign in to report.' : describeApiError(err));
    }
  };
  return (
    <div className="report">
      {!open ? (
        <button
          type="button"
          className="button button--ghost"
          onClick={() => setOpen(true)}
          data-testid="report-button"
        >
          Report
        </button>
      ) : (
        <form onSubmit={(e) => void submit(e)} aria-label={`Report ${what}`} className="admin-item__actions">
          <label className="visually-hidden" htmlFor={`report-${subjectType}-${subjectId}`}>
            What is wrong with {what}?
          </label>
          <input
            id={`report-${subjectType}-${subjectId}`}
            name="reason"
            required
            maxLength={1000}
            placeholder="What is wrong?"
            autoFocus
            data-testid="report-reason"
          />
          <button type="submit" className="button button--accent" data-testid="report-submit">
            Send report
          </button>
          <button type="button" className="button button--ghost" onClick={() => setOpen(false)}>
            Cancel
          </button>
        </form>
      )}
      <p role="status" aria-live="polite" className="share-menu__status">
        {message}
      </p>
      {error && (
        <p className="form__error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

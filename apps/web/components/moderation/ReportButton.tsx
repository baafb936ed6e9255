'use client';

/** "Report": a signed-in user tells the moderators what is wrong with a track, comment or account. */
import { useState } from 'react';
import { ApiError, describeApiError } from '@/lib/api';
import { api, ok } from '@/lib/api/client';
import { useFormSubmit } from '@/lib/hooks/use-form-submit';
import { Notice } from '@/components/Notice';
import { Reveal } from '@/components/Reveal';
import { REPORT_REASON_MAX } from '@earshot/core/field-limits';

export function ReportButton({
  subjectType,
  subjectId,
  what,
}: {
  subjectType: 'track' | 'comment' | 'user';
  subjectId: string;
  what: string;
}) {
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const form = useFormSubmit(['reason']);
  const send = (close: () => void) =>
    form.onSubmit(async (data) => {
      const reason = String(data.get('reason') ?? '');
      setError(null);
      try {
        await ok(api.POST('/api/v1/reports', { body: { subjectType, subjectId, reason } }));
        close();
        setMessage('Thank you: the moderators will look at it.');
      } catch (err) {
        setError(err instanceof ApiError && err.status === 401 ? 'Sign in to report.' : describeApiError(err));
      }
    });
  return (
    <div className="report">
      <Reveal label="Report" testId="report-button">
        {(close) => (
          <form onSubmit={send(close)} aria-label={`Report ${what}`} className="admin-item__actions">
            <label className="visually-hidden" htmlFor={`report-${subjectType}-${subjectId}`}>
              What is wrong with {what}?
            </label>
            <input
              id={`report-${subjectType}-${subjectId}`}
              className="inline-input"
              name="reason"
              required
              maxLength={REPORT_REASON_MAX}
              placeholder="What is wrong?"
              autoFocus
              data-testid="report-reason"
            />
            <button type="submit" className="button button--accent" data-testid="report-submit" disabled={form.pending}>
              Send report
            </button>
            <button type="button" className="button button--ghost" onClick={close}>
              Cancel
            </button>
          </form>
        )}
      </Reveal>
      <p role="status" aria-live="polite" className="share-menu__status">
        {message}
      </p>
      <Notice className="form__error" message={error} />
    </div>
  );
}

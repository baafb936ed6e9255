'use client';

/** From/to days (UTC), with presets; the API refuses more than 366 days, and so does the form. */
import { useState, type FormEvent } from 'react';
import { daysBefore, todayUtc } from '@/lib/insights';
import './insights.css';

const PRESETS = [7, 30, 90, 365] as const;
/** The range's two ends, each a required day not after today. */
const ENDS = { from: 'From', to: 'To' } as const;

export function RangePicker({
  from,
  to,
  onChange,
}: {
  from: string;
  to: string;
  onChange: (range: { from: string; to: string }) => void;
}) {
  const [draft, setDraft] = useState({ from, to });
  const [error, setError] = useState<string | null>(null);
  const today = todayUtc();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!draft.from || !draft.to) return setError('Choose both days.');
    if (draft.from > draft.to) return setError('The first day must come before the last.');
    if (draft.from < daysBefore(draft.to, 365)) return setError('Choose at most 366 days.');
    setError(null);
    onChange(draft);
  };
  return (
    <form className="insights-range" onSubmit={submit} aria-label="Date range">
      <div className="insights-range__presets" role="group" aria-label="Last days">
        {PRESETS.map((n) => {
          const range = { from: daysBefore(today, n - 1), to: today };
          const active = from === range.from && to === range.to;
          return (
            <button
              key={n}
              type="button"
              className={`button button--small${active ? ' button--accent' : ''}`}
              aria-pressed={active}
              onClick={() => {
                setDraft(range);
                setError(null);
                onChange(range);
              }}
            >
              {n} days
            </button>
          );
        })}
      </div>
      {(Object.entries(ENDS) as Array<[keyof typeof ENDS, string]>).map(([end, label]) => (
        <label key={end} className="insights-range__field">
          <span>{label}</span>
          <input
            type="date"
            value={draft[end]}
            max={today}
            onChange={(e) => setDraft({ ...draft, [end]: e.target.value })}
            required
          />
        </label>
      ))}
      <button type="submit" className="button button--small">
        Show
      </button>
      {error && (
        <p className="form__error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}

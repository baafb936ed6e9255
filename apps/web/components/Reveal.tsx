'use client';

import { type ReactNode, useState } from 'react';

/**
 * A ghost button that shows, in its place, what it opens (an inline form: a report, a reason, a
 * confirmation); `close` brings the button back.
 */
export function Reveal({
  label,
  testId,
  children,
}: {
  label: ReactNode;
  testId?: string;
  children: (close: () => void) => ReactNode;
}) {
  const [open, setOpen] = useState(false);
  if (open) return children(() => setOpen(false));
  return (
    <button type="button" className="button button--ghost" onClick={() => setOpen(true)} data-testid={testId}>
      {label}
    </button>
  );
}

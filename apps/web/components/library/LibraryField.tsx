import type { ReactNode } from 'react';
import { Notice } from '@/components/Notice';

/**
 * A field of the library's edit forms (track, release): its label, its control, and under it the
 * API's message about it.
 */
export function LibraryField({
  label,
  error,
  children,
}: {
  label: ReactNode;
  error: string | undefined;
  children: ReactNode;
}) {
  return (
    // biome-ignore lint/a11y/noLabelWithoutControl: the control comes in as children
    <label>
      {label}
      {children}
      <Notice as="span" className="library-form__error" message={error} />
    </label>
  );
}

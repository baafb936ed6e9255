import type { ReactNode } from 'react';
import { SectionHead } from '@/components/PageSection';
import './account.css';

/** One card of the settings page: its title (what screen readers name the section by), a hint, and its form. */
export function SettingsSection({
  id,
  title,
  hint,
  testId,
  children,
}: {
  id: string;
  title: string;
  hint?: ReactNode;
  testId?: string;
  children: ReactNode;
}) {
  return (
    <section className="settings-section" aria-labelledby={`${id}-title`} id={id} data-testid={testId}>
      <SectionHead block="settings-section" id={id} title={title} heading="h2" hint={hint} />
      {children}
    </section>
  );
}

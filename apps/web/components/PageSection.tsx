import type { ReactNode } from 'react';

/**
 * A page's section: its title (by default the page's h1, which names the section; `heading="h2"` for
 * one of several sections), an optional hint under it, the content, and what to say instead when the
 * content needs JavaScript that is off.
 */
export function PageSection({
  id,
  title,
  heading: Heading = 'h1',
  hint,
  className,
  needsScript,
  children,
}: {
  id: string;
  title: ReactNode;
  heading?: 'h1' | 'h2';
  hint?: ReactNode;
  className?: string;
  needsScript?: string;
  children: ReactNode;
}) {
  return (
    <section className={`section container${className ? ` ${className}` : ''}`} aria-labelledby={`${id}-title`}>
      <SectionHead id={id} title={title} heading={Heading} hint={hint} />
      {children}
      {needsScript && (
        <noscript>
          <p className="feed-message">{needsScript}</p>
        </noscript>
      )}
    </section>
  );
}

/**
 * A section's head: its title, whose id (`<id>-title`) labels the section, and an optional hint
 * under it. `block` names the classes (`<block>__head`, `__title`, `__hint`): `section` for a page's
 * sections, `settings-section` for the settings page's cards.
 */
export function SectionHead({
  id,
  title,
  heading: Heading,
  hint,
  block = 'section',
}: {
  id: string;
  title: ReactNode;
  heading: 'h1' | 'h2';
  hint?: ReactNode;
  block?: 'section' | 'settings-section';
}) {
  return (
    <div className={`${block}__head`}>
      <Heading id={`${id}-title`} className={`${block}__title`}>
        {title}
      </Heading>
      {hint && <p className={`${block}__hint`}>{hint}</p>}
    </div>
  );
}

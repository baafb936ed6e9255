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
      <div className="section__head">
        <Heading id={`${id}-title`} className="section__title">
          {title}
        </Heading>
        {hint && <p className="section__hint">{hint}</p>}
      </div>
      {children}
      {needsScript && (
        <noscript>
          <p className="feed-message">{needsScript}</p>
        </noscript>
      )}
    </section>
  );
}

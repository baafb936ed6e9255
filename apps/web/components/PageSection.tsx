import type { ReactNode } from 'react';

/**
 * A page's main section: its title (the page's h1, which names the section), an optional hint under
 * it, the content, and what to say instead when the content needs JavaScript that is off.
 */
export function PageSection({
  id,
  title,
  hint,
  className,
  needsScript,
  children,
}: {
  id: string;
  title: ReactNode;
  hint?: ReactNode;
  className?: string;
  needsScript?: string;
  children: ReactNode;
}) {
  return (
    <section className={`section container${className ? ` ${className}` : ''}`} aria-labelledby={`${id}-title`}>
      <div className="section__head">
        <h1 id={`${id}-title`} className="section__title">
          {title}
        </h1>
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

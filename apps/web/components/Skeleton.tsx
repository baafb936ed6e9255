import type { ReactNode } from 'react';
import './skeleton.css';

/**
 * What shows while a read is under way: a skeleton of what will come, hidden from assistive
 * technology, which hears `label` instead.
 */
export function LoadingSkeleton({
  className,
  label,
  children,
}: {
  className: string;
  label: string;
  children: ReactNode;
}) {
  return (
    <div className={className} aria-busy="true">
      <p className="visually-hidden" role="status">
        {label}
      </p>
      {children}
    </div>
  );
}

/** A title's line and a shorter one under it. */
export function SkeletonLines() {
  return (
    <>
      <div className="track-skeleton__line" />
      <div className="track-skeleton__line track-skeleton__line--short" />
    </>
  );
}

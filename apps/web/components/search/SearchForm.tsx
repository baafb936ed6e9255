import type { ReactNode } from 'react';

/** A `role="search"` form that stays on the page: submitting it (Enter, its button) calls `onSearch`. */
export function SearchForm({
  className,
  onSearch,
  children,
}: {
  className: string;
  onSearch: () => void;
  children: ReactNode;
}) {
  return (
    <form
      className={className}
      role="search"
      onSubmit={(e) => {
        e.preventDefault();
        onSearch();
      }}
    >
      {children}
    </form>
  );
}

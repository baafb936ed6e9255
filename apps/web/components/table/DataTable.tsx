/**
 * THE table of the app (the admin console, the purchase history, the artist's buyers): a caption
 * for screen readers, one header row of column headings, one row per item, scrolling sideways on a
 * narrow screen instead of overflowing the page. A column may be the row's heading (`rowHeader`),
 * and may be hidden on phones (`hideOnPhone`) when the rest of the row says enough.
 */
import type { ReactNode } from 'react';
import './data-table.css';

export interface Column<T> {
  label: string;
  cell: (row: T) => ReactNode;
  /** This column names the row (`<th scope="row">`). */
  rowHeader?: boolean;
  hideOnPhone?: boolean;
}

export function DataTable<T>({
  caption,
  columns,
  rows,
  rowKey,
  rowTestId,
  className,
}: {
  /** Read by screen readers (the page's heading already says it to sighted readers). */
  caption: string;
  columns: Column<T>[];
  rows: readonly T[];
  rowKey: (row: T) => string;
  rowTestId?: string | ((row: T) => string);
  className?: string;
}) {
  const hidden = (c: Column<T>) => (c.hideOnPhone ? 'data-table__phone-hidden' : undefined);
  return (
    <div className="data-table-wrap">
      <table className={className ? `data-table ${className}` : 'data-table'}>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.label} scope="col" className={hidden(c)}>
                {c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={rowKey(row)} data-testid={typeof rowTestId === 'function' ? rowTestId(row) : rowTestId}>
              {columns.map((c) =>
                c.rowHeader ? (
                  <th key={c.label} scope="row" className={hidden(c)}>
                    {c.cell(row)}
                  </th>
                ) : (
                  <td key={c.label} className={hidden(c)}>
                    {c.cell(row)}
                  </td>
                ),
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

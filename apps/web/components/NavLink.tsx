'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import type { ReactNode } from 'react';

/** A header link that marks itself with aria-current when it is the page being shown. */
export function NavLink({
  href,
  className,
  prefetch,
  children,
}: {
  href: string;
  className?: string;
  prefetch?: boolean;
  children: ReactNode;
}) {
  const pathname = usePathname();
  const current = pathname === href;
  return (
    <Link href={href} className={className} prefetch={prefetch} aria-current={current ? 'page' : undefined}>
      {children}
    </Link>
  );
}

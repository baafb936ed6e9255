import type { Metadata } from 'next';
import { PageSection } from '@/components/PageSection';
import { notFound } from 'next/navigation';
import { AdminConsole } from '@/components/admin/AdminConsole';
import { serverApiGet } from '@/lib/server-api';

export const metadata: Metadata = { title: 'Admin console', robots: { index: false, follow: false } };
// Decided per request (who is asking), never prerendered.
export const dynamic = 'force-dynamic';

/** `/admin`: the operator's console (docs/operations.md, "Admin console"). Others get the not-found page; the API refuses them anyway. */
export default async function AdminPage() {
  const me = await serverApiGet(
    (api) => api.GET('/api/v1/auth/me'),
    (b) => b.user.role,
  );
  if (me.kind === 'found' && me.body !== 'admin') notFound();
  return (
    <PageSection id="admin" title="Admin console" className="admin-page">
      <AdminConsole />
    </PageSection>
  );
}

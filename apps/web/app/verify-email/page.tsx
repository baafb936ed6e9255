import type { Metadata } from 'next';
import { AuthPage } from '@/components/account/AuthPage';
import { VerifyEmail } from '@/components/account/VerifyEmail';

export const metadata: Metadata = { title: 'Confirm your email', robots: { index: false } };

export default function Page() {
  return (
    <AuthPage title="Confirm your email" intro="One moment while we check your link.">
      <VerifyEmail />
    </AuthPage>
  );
}

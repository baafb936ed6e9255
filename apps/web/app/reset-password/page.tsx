import type { Metadata } from 'next';
import { AuthPage } from '@/components/account/AuthPage';
import { ResetPasswordForm } from '@/components/account/ResetPasswordForm';

export const metadata: Metadata = { title: 'Choose a new password', robots: { index: false } };

export default function Page() {
  return (
    <AuthPage title="Choose a new password" intro="Pick something long that you do not use elsewhere.">
      <ResetPasswordForm />
    </AuthPage>
  );
}

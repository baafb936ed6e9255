import type { Metadata } from 'next';
import { AuthPage } from '@/components/account/AuthPage';
import { ForgotPasswordForm } from '@/components/account/ForgotPasswordForm';

export const metadata: Metadata = { title: 'Forgot password', robots: { index: false } };

export default function Page() {
  return (
    <AuthPage
      title="Forgot your password?"
      intro="Enter your account’s email address and we will send you a link to choose a new one."
    >
      <ForgotPasswordForm />
    </AuthPage>
  );
}

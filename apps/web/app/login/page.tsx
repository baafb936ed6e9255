import type { Metadata } from 'next';
import { AuthPage } from '@/components/account/AuthPage';
import { LoginForm } from '@/components/account/LoginForm';

export const metadata: Metadata = { title: 'Sign in', robots: { index: false } };

export default function Page() {
  return (
    <AuthPage title="Welcome back" intro="Sign in to your Earshot account.">
      <LoginForm />
    </AuthPage>
  );
}

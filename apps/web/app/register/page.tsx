import type { Metadata } from 'next';
import { AuthPage } from '@/components/account/AuthPage';
import { RegisterForm } from '@/components/account/RegisterForm';

export const metadata: Metadata = { title: 'Create an account', robots: { index: false } };

export default function Page() {
  return (
    <AuthPage
      title="Create your account"
      intro="Listen, follow and support independent artists — or publish your own music."
    >
      <RegisterForm />
    </AuthPage>
  );
}

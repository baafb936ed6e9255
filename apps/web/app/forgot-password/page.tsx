import { unindexed } from '@/lib/metadata';
import { authPage } from '@/components/account/AuthPage';
import { ForgotPasswordForm } from '@/components/account/ForgotPasswordForm';

export const metadata = unindexed('Forgot password');

export default authPage(
  'Forgot your password?',
  'Enter your account’s email address and we will send you a link to choose a new one.',
  ForgotPasswordForm,
);

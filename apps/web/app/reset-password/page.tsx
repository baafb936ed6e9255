import { unindexed } from '@/lib/metadata';
import { authPage } from '@/components/account/AuthPage';
import { ResetPasswordForm } from '@/components/account/ResetPasswordForm';

export const metadata = unindexed('Choose a new password');

export default authPage(
  'Choose a new password',
  'Pick something long that you do not use elsewhere.',
  ResetPasswordForm,
);

import { unindexed } from '@/lib/metadata';
import { authPage } from '@/components/account/AuthPage';
import { RegisterForm } from '@/components/account/RegisterForm';

export const metadata = unindexed('Create an account');

export default authPage(
  'Create your account',
  'Listen, follow and support independent artists — or publish your own music.',
  RegisterForm,
);

import { unindexed } from '@/lib/metadata';
import { authPage } from '@/components/account/AuthPage';
import { LoginForm } from '@/components/account/LoginForm';

export const metadata = unindexed('Sign in');

export default authPage('Welcome back', 'Sign in to your Earshot account.', LoginForm);

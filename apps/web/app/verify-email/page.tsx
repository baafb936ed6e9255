import { unindexed } from '@/lib/metadata';
import { authPage } from '@/components/account/AuthPage';
import { VerifyEmail } from '@/components/account/VerifyEmail';

export const metadata = unindexed('Confirm your email');

export default authPage('Confirm your email', 'One moment while we check your link.', VerifyEmail);

'use client';

import Link from 'next/link';
import { useRouter, useSearchParams } from 'next/navigation';
import { announceAccount, safeNext } from '@/lib/account';
import { api, ok } from '@/lib/api/client';
import { useFormSubmit } from '@/lib/hooks/use-form-submit';
import { routes } from '@/lib/routes';
import { CurrentPasswordField, EmailField, SubmitForm } from './Field';
import './account.css';

export function LoginForm() {
  const router = useRouter();
  const params = useSearchParams();
  // Wrong email or password is one message for the form: it does not say which.
  const s = useFormSubmit(['email', 'password'], { staysPending: true });
  const submit = s.onSubmit(async (form) => {
    const { user } = await ok(
      api.POST('/api/v1/auth/login', {
        body: { email: String(form.get('email') ?? ''), password: String(form.get('password') ?? '') },
      }),
    );
    announceAccount(user);
    router.push(safeNext(params.get('next')));
  });

  return (
    <SubmitForm
      s={s}
      onSubmit={submit}
      submit="Sign in"
      busy="Signing in…"
      testId="login-form"
      aside={
        <p className="form__aside">
          <Link href={routes.forgotPassword} prefetch={false}>
            Forgot your password?
          </Link>{' '}
          · New here?{' '}
          <Link href={routes.register} prefetch={false}>
            Create an account
          </Link>
        </p>
      }
    >
      <EmailField error={s.errors.fields.email} />
      <CurrentPasswordField label="Password" error={s.errors.fields.password} />
    </SubmitForm>
  );
}

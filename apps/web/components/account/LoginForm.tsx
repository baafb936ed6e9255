'use client';

import Link from 'next/link';
import { useRouter, useSearchParams } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { apiFetch } from '@/lib/api';
import { announceAccount, safeNext, type AccountUser } from '@/lib/account';
import { routes } from '@/lib/routes';
import { Field, FormError } from './Field';
import { formErrorsFrom, noErrors, type FormErrors } from './form-errors';
import { useHydrated } from './use-hydrated';
import './account.css';

export function LoginForm() {
  const router = useRouter();
  const params = useSearchParams();
  const [errors, setErrors] = useState<FormErrors>(noErrors);
  const [busy, setBusy] = useState(false);
  const hydrated = useHydrated();

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setBusy(true);
    setErrors(noErrors);
    try {
      const { user } = await apiFetch<{ user: AccountUser }>('/api/v1/auth/login', { json: { email: String(form.get('email') ?? ''), password: String(form.get('password') ?? '') } });
      announceAccount(user);
      router.push(safeNext(params.get('next')));
    } catch (err) {
      // Wrong email or password is one message for the form: it does not say which.
      setErrors(formErrorsFrom(err, ['email', 'password']));
      setBusy(false);
    }
  }

  return (
    <form className="form" method="post" onSubmit={submit} noValidate data-hydrated={hydrated || undefined} data-testid="login-form">
      <Field name="email" label="Email" type="email" autoComplete="email" required maxLength={254} error={errors.fields.email} />
      <Field name="password" label="Password" type="password" autoComplete="current-password" required maxLength={256} error={errors.fields.password} />
      <FormError message={errors.form} />
      <div className="form__actions">
        <button type="submit" className="button button--accent" disabled={busy || !hydrated}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        <p className="form__aside">
          <Link href={routes.forgotPassword} prefetch={false}>
            Forgot your password?
          </Link>{' '}
          · New here?{' '}
          <Link href={routes.register} prefetch={false}>
            Create an account
          </Link>
        </p>
      </div>
    </form>
  );
}

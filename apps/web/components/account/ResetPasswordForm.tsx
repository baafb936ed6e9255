'use client';

import Link from 'next/link';
import { useSearchParams } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { apiFetch } from '@/lib/api';
import { announceAccount } from '@/lib/account';
import { routes } from '@/lib/routes';
import { Field, FormError } from './Field';
import { formErrorsFrom, noErrors, type FormErrors } from './form-errors';
import { useHydrated } from './use-hydrated';
import './account.css';

export function ResetPasswordForm() {
  const token = useSearchParams().get('token') ?? '';
  const [errors, setErrors] = useState<FormErrors>(noErrors);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);
  const hydrated = useHydrated();

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const password = String(form.get('password') ?? '');
    if (password !== String(form.get('confirm') ?? '')) {
      setErrors({ fields: { confirm: 'The two passwords are not the same' }, form: null });
      return;
    }
    setBusy(true);
    setErrors(noErrors);
    try {
      await apiFetch('/api/v1/auth/reset-password', { json: { token, password } });
      announceAccount(null);
      setDone(true);
    } catch (err) {
      setErrors(formErrorsFrom(err, ['password']));
    } finally {
      setBusy(false);
    }
  }

  if (!token) return <p className="form__error">This page needs the link from the mail. Ask for a new one from “Forgot your password?”.</p>;
  if (done) {
    return (
      <div className="form__done" role="status">
        <p>Your password is changed, and every device was signed out.</p>
        <Link className="button button--accent" href={routes.login} prefetch={false}>
          Sign in
        </Link>
      </div>
    );
  }
  return (
    <form className="form" method="post" onSubmit={submit} noValidate data-hydrated={hydrated || undefined}>
      <Field name="password" label="New password" type="password" autoComplete="new-password" required minLength={10} maxLength={256} hint="At least 10 characters." error={errors.fields.password} />
      <Field name="confirm" label="New password, again" type="password" autoComplete="new-password" required error={errors.fields.confirm} />
      <FormError message={errors.form} />
      <div className="form__actions">
        <button type="submit" className="button button--accent" disabled={busy || !hydrated}>
          {busy ? 'Saving…' : 'Set new password'}
        </button>
        {errors.form && (
          <Link href={routes.forgotPassword} prefetch={false}>
            Get a new link
          </Link>
        )}
      </div>
    </form>
  );
}

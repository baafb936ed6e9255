'use client';

import { useState, type FormEvent } from 'react';
import { apiFetch } from '@/lib/api';
import { Field, FormError } from './Field';
import { formErrorsFrom, noErrors, type FormErrors } from './form-errors';
import { useHydrated } from './use-hydrated';
import './account.css';

export function ForgotPasswordForm() {
  const [errors, setErrors] = useState<FormErrors>(noErrors);
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const hydrated = useHydrated();

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const email = String(new FormData(e.currentTarget).get('email') ?? '');
    setBusy(true);
    setErrors(noErrors);
    try {
      await apiFetch('/api/v1/auth/forgot-password', { json: { email } });
      setSentTo(email);
    } catch (err) {
      setErrors(formErrorsFrom(err, ['email']));
    } finally {
      setBusy(false);
    }
  }

  if (sentTo) {
    return (
      <div className="form__done" role="status">
        <p>
          If <strong>{sentTo}</strong> belongs to an account, a link to choose a new password is on its way. It works once, within an hour.
        </p>
      </div>
    );
  }
  return (
    <form className="form" method="post" onSubmit={submit} noValidate data-hydrated={hydrated || undefined}>
      <Field name="email" label="Email" type="email" autoComplete="email" required maxLength={254} error={errors.fields.email} />
      <FormError message={errors.form} />
      <div className="form__actions">
        <button type="submit" className="button button--accent" disabled={busy || !hydrated}>
          {busy ? 'Sending…' : 'Send me a link'}
        </button>
      </div>
    </form>
  );
}

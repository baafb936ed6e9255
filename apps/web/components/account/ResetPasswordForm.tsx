'use client';

import Link from 'next/link';
import { useSearchParams } from 'next/navigation';
import { useState } from 'react';
import { announceAccount } from '@/lib/account';
import { api, ok } from '@/lib/api/client';
import { FieldError, useFormSubmit } from '@/lib/hooks/use-form-submit';
import { routes } from '@/lib/routes';
import { Field, NewPasswordField, SubmitForm } from './Field';
import './account.css';

export function ResetPasswordForm() {
  const token = useSearchParams().get('token') ?? '';
  const [done, setDone] = useState(false);
  const s = useFormSubmit(['password', 'confirm']);
  const submit = s.onSubmit(async (form) => {
    const password = String(form.get('password') ?? '');
    if (password !== String(form.get('confirm') ?? ''))
      throw new FieldError('confirm', 'The two passwords are not the same');
    await ok(api.POST('/api/v1/auth/reset-password', { body: { token, password } }));
    announceAccount(null);
    setDone(true);
  });

  if (!token)
    return (
      <p className="form__error">
        This page needs the link from the mail. Ask for a new one from “Forgot your password?”.
      </p>
    );
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
    <SubmitForm
      s={s}
      onSubmit={submit}
      submit="Set new password"
      busy="Saving…"
      aside={
        s.errors.form && (
          <Link href={routes.forgotPassword} prefetch={false}>
            Get a new link
          </Link>
        )
      }
    >
      <NewPasswordField label="New password" error={s.errors.fields.password} />
      <Field
        name="confirm"
        label="New password, again"
        type="password"
        autoComplete="new-password"
        required
        error={s.errors.fields.confirm}
      />
    </SubmitForm>
  );
}

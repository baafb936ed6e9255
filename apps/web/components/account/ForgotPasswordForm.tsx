'use client';

import { useState } from 'react';
import { api, ok } from '@/lib/api/client';
import { useFormSubmit } from '@/lib/hooks/use-form-submit';
import { EmailField, SubmitForm } from './Field';
import './account.css';

export function ForgotPasswordForm() {
  const [sentTo, setSentTo] = useState<string | null>(null);
  const s = useFormSubmit(['email']);
  const submit = s.onSubmit(async (form) => {
    const email = String(form.get('email') ?? '');
    await ok(api.POST('/api/v1/auth/forgot-password', { body: { email } }));
    setSentTo(email);
  });

  if (sentTo) {
    return (
      <div className="form__done" role="status">
        <p>
          If <strong>{sentTo}</strong> belongs to an account, a link to choose a new password is on its way. It works
          once, within an hour.
        </p>
      </div>
    );
  }
  return (
    <SubmitForm s={s} onSubmit={submit} submit="Send me a link" busy="Sending…">
      <EmailField error={s.errors.fields.email} />
    </SubmitForm>
  );
}

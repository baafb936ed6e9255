'use client';

import Link from 'next/link';
import { useRouter, useSearchParams } from 'next/navigation';
import { useState } from 'react';
import { announceAccount, safeNext } from '@/lib/account';
import { api, ok } from '@/lib/api/client';
import { useFormSubmit } from '@/lib/hooks/use-form-submit';
import { routes } from '@/lib/routes';
import { EmailField, Field, HandleField, NewPasswordField, SubmitForm } from './Field';
import './account.css';
import { DISPLAY_NAME_MAX, HANDLE_MAX, HANDLE_MIN } from '@earshot/core/field-limits';

/** Core's handle rule as the browser checks it (core also folds upper case to lower). */
const HANDLE_PATTERN = `[A-Za-z0-9][A-Za-z0-9_\\-]{${HANDLE_MIN - 1},${HANDLE_MAX - 1}}`;

const FIELDS = ['email', 'password', 'handle', 'displayName', 'role'] as const;
const ROLES = [
  { value: 'listener', title: 'Listen', text: 'Follow artists, comment, buy music.' },
  { value: 'artist', title: 'Publish my music', text: 'Upload tracks and sell directly.' },
] as const;

/** Sign-up as a listener or an artist; the API signs the new account in (session cookie). */
export function RegisterForm() {
  const router = useRouter();
  const params = useSearchParams();
  const [role, setRole] = useState<'listener' | 'artist'>(params.get('role') === 'artist' ? 'artist' : 'listener');
  const s = useFormSubmit(FIELDS, { staysPending: true });
  const submit = s.onSubmit(async (form) => {
    const body = {
      email: String(form.get('email') ?? ''),
      password: String(form.get('password') ?? ''),
      handle: String(form.get('handle') ?? ''),
      displayName: String(form.get('displayName') ?? '') || undefined,
      role,
    };
    const { user } = await ok(api.POST('/api/v1/auth/register', { body }));
    announceAccount(user);
    router.push(safeNext(params.get('next'), role === 'artist' ? routes.upload : routes.home));
  });

  return (
    <SubmitForm
      s={s}
      onSubmit={submit}
      submit="Create account"
      busy="Creating your account…"
      testId="register-form"
      aside={
        <p className="form__aside">
          Already have an account?{' '}
          <Link href={routes.login} prefetch={false}>
            Sign in
          </Link>
        </p>
      }
    >
      <fieldset className="role-choice">
        <legend className="field__label">I am here to</legend>
        {ROLES.map(({ value, title, text }) => (
          <label key={value} className={`role-choice__option${role === value ? ' role-choice__option--on' : ''}`}>
            <input type="radio" name="role" value={value} checked={role === value} onChange={() => setRole(value)} />
            <span className="role-choice__title">{title}</span>
            <span className="role-choice__text">{text}</span>
          </label>
        ))}
      </fieldset>
      <EmailField error={s.errors.fields.email} />
      <HandleField pattern={HANDLE_PATTERN} error={s.errors.fields.handle} />
      <Field
        name="displayName"
        label="Display name"
        autoComplete="name"
        maxLength={DISPLAY_NAME_MAX}
        hint="Shown on your page. Optional."
        error={s.errors.fields.displayName}
      />
      <NewPasswordField hint="At least 10 characters; a passphrase works well." error={s.errors.fields.password} />
    </SubmitForm>
  );
}

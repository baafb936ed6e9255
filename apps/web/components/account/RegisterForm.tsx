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

const FIELDS = ['email', 'password', 'handle', 'displayName', 'role'] as const;

/** Sign-up as a listener or an artist; the API signs the new account in (session cookie). */
export function RegisterForm() {
  const router = useRouter();
  const params = useSearchParams();
  const [role, setRole] = useState<'listener' | 'artist'>(params.get('role') === 'artist' ? 'artist' : 'listener');
  const [errors, setErrors] = useState<FormErrors>(noErrors);
  const [busy, setBusy] = useState(false);
  const hydrated = useHydrated();

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setBusy(true);
    setErrors(noErrors);
    try {
      const body = { email: String(form.get('email') ?? ''), password: String(form.get('password') ?? ''), handle: String(form.get('handle') ?? ''), displayName: String(form.get('displayName') ?? '') || undefined, role };
      const { user } = await apiFetch<{ user: AccountUser }>('/api/v1/auth/register', { json: body });
      announceAccount(user);
      router.push(safeNext(params.get('next'), role === 'artist' ? routes.upload : routes.home));
    } catch (err) {
      setErrors(formErrorsFrom(err, FIELDS));
      setBusy(false);
    }
  }

  return (
    <form className="form" method="post" onSubmit={submit} noValidate data-hydrated={hydrated || undefined} data-testid="register-form">
      <fieldset className="role-choice">
        <legend className="field__label">I am here to</legend>
        <label className={`role-choice__option${role === 'listener' ? ' role-choice__option--on' : ''}`}>
          <input type="radio" name="role" value="listener" checked={role === 'listener'} onChange={() => setRole('listener')} />
          <span className="role-choice__title">Listen</span>
          <span className="role-choice__text">Follow artists, comment, buy music.</span>
        </label>
        <label className={`role-choice__option${role === 'artist' ? ' role-choice__option--on' : ''}`}>
          <input type="radio" name="role" value="artist" checked={role === 'artist'} onChange={() => setRole('artist')} />
          <span className="role-choice__title">Publish my music</span>
          <span className="role-choice__text">Upload tracks and sell directly.</span>
        </label>
      </fieldset>
      <Field name="email" label="Email" type="email" autoComplete="email" required maxLength={254} error={errors.fields.email} />
      <Field name="handle" label="Handle" autoComplete="username" required maxLength={30} pattern="[A-Za-z0-9][A-Za-z0-9_\-]{1,29}" hint="Your page’s address: letters, digits, - and _." error={errors.fields.handle} />
      <Field name="displayName" label="Display name" autoComplete="name" maxLength={100} hint="Shown on your page. Optional." error={errors.fields.displayName} />
      <Field name="password" label="Password" type="password" autoComplete="new-password" required minLength={10} maxLength={256} hint="At least 10 characters; a passphrase works well." error={errors.fields.password} />
      <FormError message={errors.form} />
      <div className="form__actions">
        <button type="submit" className="button button--accent" disabled={busy || !hydrated}>
          {busy ? 'Creating your account…' : 'Create account'}
        </button>
        <p className="form__aside">
          Already have an account?{' '}
          <Link href={routes.login} prefetch={false}>
            Sign in
          </Link>
        </p>
      </div>
    </form>
  );
}

'use client';

import Link from 'next/link';
import { useRouter, useSearchParams } from 'next/navigation';
import { useState } from 'react';
import { announceAccount, safeNext } from '@/lib/account';
import { api, ok } from '@/lib/api/client';
import { useFormSubmit } from '@/lib/hooks/use-form-submit';
import { routes } from '@/lib/routes';
import { Field, FormError } from './Field';
import './account.css';

const FIELDS = ['email', 'password', 'handle', 'displayName', 'role'] as const;

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
    <form
      className="form"
      method="post"
      onSubmit={submit}
      noValidate
      data-hydrated={s.hydrated || undefined}
      data-testid="register-form"
    >
      <fieldset className="role-choice">
        <legend className="field__label">I am here to</legend>
        <label className={`role-choice__option${role === 'listener' ? ' role-choice__option--on' : ''}`}>
          <input
            type="radio"
            name="role"
            value="listener"
            checked={role === 'listener'}
            onChange={() => setRole('listener')}
          />
          <span className="role-choice__title">Listen</span>
          <span className="role-choice__text">Follow artists, comment, buy music.</span>
        </label>
        <label className={`role-choice__option${role === 'artist' ? ' role-choice__option--on' : ''}`}>
          <input
            type="radio"
            name="role"
            value="artist"
            checked={role === 'artist'}
            onChange={() => setRole('artist')}
          />
          <span className="role-choice__title">Publish my music</span>
          <span className="role-choice__text">Upload tracks and sell directly.</span>
        </label>
      </fieldset>
      <Field
        name="email"
        label="Email"
        type="email"
        autoComplete="email"
        required
        maxLength={254}
        error={s.errors.fields.email}
      />
      <Field
        name="handle"
        label="Handle"
        autoComplete="username"
        required
        maxLength={30}
        pattern="[A-Za-z0-9][A-Za-z0-9_\-]{1,29}"
        hint="Your page’s address: letters, digits, - and _."
        error={s.errors.fields.handle}
      />
      <Field
        name="displayName"
        label="Display name"
        autoComplete="name"
        maxLength={100}
        hint="Shown on your page. Optional."
        error={s.errors.fields.displayName}
      />
      <Field
        name="password"
        label="Password"
        type="password"
        autoComplete="new-password"
        required
        minLength={10}
        maxLength={256}
        hint="At least 10 characters; a passphrase works well."
        error={s.errors.fields.password}
      />
      <FormError message={s.errors.form} />
      <div className="form__actions">
        <button type="submit" className="button button--accent" disabled={s.pending}>
          {s.busy ? 'Creating your account…' : 'Create account'}
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

'use client';

/**
 * Settings of the signed-in account: profile (handle, display name, bio), avatar, email,
 * password, and becoming an artist. Each section saves on its own and shows the API's errors next
 * to its fields.
 */
import Link from 'next/link';
import { useRef, type ReactNode } from 'react';
import { announceAccount, fetchAccount, type AccountUser } from '@/lib/account';
import { api, ok } from '@/lib/api/client';
import { type FormSubmit, useFormSubmit } from '@/lib/hooks/use-form-submit';
import { useResource } from '@/lib/hooks/use-resource';
import { routes } from '@/lib/routes';
import { Avatar } from './Avatar';
import { AccountDataSection } from './AccountData';
import { CurrentPasswordField, EmailField, Field, FormError, HandleField, NewPasswordField, SubmitForm } from './Field';
import { Notice } from '@/components/Notice';
import { SettingsSection as Section } from './SettingsSection';
import './account.css';
import { SignInPrompt } from '@/components/account/SignInPrompt';
import { BIO_MAX, DISPLAY_NAME_MAX } from '@earshot/core/field-limits';

type Saved = (user: AccountUser) => void;

/** Runs in `s` a request that answers with the account as it now is: the page shows it, and `s` says `done`. */
function saveAccount(s: FormSubmit, onSaved: Saved, request: () => Promise<{ user: AccountUser }>, done: string) {
  return s.run(async () => {
    onSaved((await request()).user);
    return done;
  });
}

export function Settings() {
  const account = useResource('account', fetchAccount);

  if (account.status === 'loading') return <p role="status">Loading your account…</p>;
  if (account.status === 'error') return <Notice className="form__error" message={account.message} />;
  if (!account.data) {
    return <SignInPrompt title="Sign in to change your settings" back={routes.settings} testId="settings-signed-out" />;
  }
  const saved: Saved = (user) => {
    account.update(() => user);
    announceAccount(user);
  };
  const user = account.data;
  return (
    <>
      <ProfileSection user={user} onSaved={saved} />
      <AvatarSection user={user} onSaved={saved} />
      {user.role === 'listener' && <BecomeArtistSection onSaved={saved} />}
      <EmailSection user={user} onSaved={saved} />
      <PasswordSection />
      <AccountDataSection />
    </>
  );
}

function Saved({ message }: { message: string | null }) {
  return <Notice className="form__saved" role="status" message={message} />;
}

function ProfileSection({ user, onSaved }: { user: AccountUser; onSaved: Saved }) {
  const s = useFormSubmit(['handle', 'displayName', 'bio']);
  const submit = s.onSubmit(async (form) => {
    const body = {
      handle: String(form.get('handle') ?? ''),
      displayName: String(form.get('displayName') ?? ''),
      bio: String(form.get('bio') ?? ''),
    };
    const res = await ok(api.PATCH('/api/v1/me', { body }));
    onSaved(res.user);
    return 'Profile saved.';
  });
  return (
    <Section
      id="profile"
      title="Profile"
      hint={
        <>
          Shown on{' '}
          <Link href={routes.artist(user.handle)} prefetch={false}>
            your page
          </Link>
          .
        </>
      }
    >
      <SubmitForm
        s={s}
        onSubmit={submit}
        submit="Save profile"
        busy="Saving…"
        aside={<Saved message={s.done} />}
        testId="profile-form"
      >
        <HandleField defaultValue={user.handle} error={s.errors.fields.handle} />
        <Field
          name="displayName"
          label="Display name"
          defaultValue={user.displayName}
          required
          maxLength={DISPLAY_NAME_MAX}
          autoComplete="name"
          error={s.errors.fields.displayName}
        />
        <div className={`field${s.errors.fields.bio ? ' field--invalid' : ''}`}>
          <label className="field__label" htmlFor="field-bio">
            Bio
          </label>
          <textarea
            id="field-bio"
            name="bio"
            className="field__input field__input--area"
            defaultValue={user.bio}
            maxLength={BIO_MAX}
            rows={4}
            aria-invalid={s.errors.fields.bio ? true : undefined}
          />
          {s.errors.fields.bio && (
            <p className="field__error" role="alert" data-field-error="bio">
              {s.errors.fields.bio}
            </p>
          )}
        </div>
      </SubmitForm>
    </Section>
  );
}

function AvatarSection({ user, onSaved }: { user: AccountUser; onSaved: Saved }) {
  const s = useFormSubmit(['avatar']);
  const input = useRef<HTMLInputElement>(null);
  const upload = (file: File) =>
    s.run(async () => {
      const form = new FormData();
      form.append('avatar', file, file.name);
      // Multipart: the API streams the file, so its document does not describe this body.
      const res = await ok(api.PUT('/api/v1/me/avatar', { body: form as never }));
      onSaved(res.user);
      if (input.current) input.current.value = '';
      return 'Avatar updated.';
    });
  const remove = () => saveAccount(s, onSaved, () => ok(api.DELETE('/api/v1/me/avatar')), 'Avatar removed.');
  return (
    <Section id="avatar" title="Avatar" hint="JPEG, PNG, WebP, GIF or AVIF, up to 10 MB. It is cropped square.">
      <div className="avatar-editor">
        <Avatar user={user} size={96} />
        <div className="avatar-editor__actions">
          <label className="button button--ghost">
            {s.pending ? 'Uploading…' : 'Choose an image'}
            <input
              ref={input}
              className="visually-hidden"
              type="file"
              name="avatar"
              accept="image/jpeg,image/png,image/webp,image/gif,image/avif"
              disabled={s.pending}
              data-testid="avatar-input"
              onChange={(e) => {
                const file = e.currentTarget.files?.[0];
                if (file) void upload(file);
              }}
            />
          </label>
          {user.avatarUrl && (
            <button type="button" className="button button--ghost" onClick={() => void remove()} disabled={s.pending}>
              Remove
            </button>
          )}
        </div>
      </div>
      {s.errors.fields.avatar && (
        <p className="field__error" role="alert" data-field-error="avatar">
          {s.errors.fields.avatar}
        </p>
      )}
      <FormError message={s.errors.form} />
      <Saved message={s.done} />
    </Section>
  );
}

function BecomeArtistSection({ onSaved }: { onSaved: Saved }) {
  const s = useFormSubmit([]);
  const become = () =>
    saveAccount(
      s,
      onSaved,
      () => ok(api.POST('/api/v1/me/become-artist')),
      'You are an artist now: upload your first track.',
    );
  return (
    <Section
      id="artist"
      title="Become an artist"
      hint="Publish your music on your own page and sell it directly. Your likes, playlists and purchases stay as they are."
    >
      <div className="form__actions">
        <button type="button" className="button button--accent" onClick={() => void become()} disabled={s.pending}>
          Switch to an artist account
        </button>
      </div>
      <FormError message={s.errors.form} />
      <Saved message={s.done} />
    </Section>
  );
}

function EmailSection({ user, onSaved }: { user: AccountUser; onSaved: Saved }) {
  const s = useFormSubmit(['email', 'password', 'currentPassword']);
  const resend = useFormSubmit([]);
  const submit = s.onSubmit(async (form, formEl) => {
    const res = await ok(
      api.PUT('/api/v1/me/email', {
        body: { email: String(form.get('email') ?? ''), password: String(form.get('password') ?? '') },
      }),
    );
    onSaved(res.user);
    (formEl.elements.namedItem('password') as HTMLInputElement | null)?.form?.reset();
    return `We sent a confirmation link to ${res.user.email}.`;
  });
  const passwordError = s.errors.fields.password ?? s.errors.fields.currentPassword;
  return (
    <Section
      id="email"
      title="Email"
      hint={
        user.emailVerified ? (
          'Confirmed.'
        ) : (
          <>
            Not confirmed yet.{' '}
            <button
              type="button"
              className="link-button"
              disabled={resend.pending}
              onClick={() =>
                void resend.run(async () => {
                  await ok(api.POST('/api/v1/auth/verify-email/resend'));
                  return 'A new confirmation link is on its way.';
                })
              }
            >
              Send the link again
            </button>
          </>
        )
      }
    >
      <Saved message={resend.done} />
      <FormError message={resend.errors.form} />
      <SubmitForm s={s} onSubmit={submit} submit="Change email" ghost aside={<Saved message={s.done} />}>
        <EmailField defaultValue={user.email} error={s.errors.fields.email} />
        <CurrentPasswordField hint="Needed to change your email." error={passwordError} />
      </SubmitForm>
    </Section>
  );
}

function PasswordSection() {
  const s = useFormSubmit(['currentPassword', 'newPassword']);
  const submit = s.onSubmit(async (form, formEl) => {
    await ok(
      api.PUT('/api/v1/me/password', {
        body: {
          currentPassword: String(form.get('currentPassword') ?? ''),
          newPassword: String(form.get('newPassword') ?? ''),
        },
      }),
    );
    formEl.reset();
    return 'Password changed. Your other devices were signed out.';
  });
  return (
    <Section id="password" title="Password" hint="Changing it signs you out everywhere else.">
      <SubmitForm s={s} onSubmit={submit} submit="Change password" ghost aside={<Saved message={s.done} />}>
        <CurrentPasswordField name="currentPassword" label="Current password" error={s.errors.fields.currentPassword} />
        <NewPasswordField name="newPassword" label="New password" error={s.errors.fields.newPassword} />
      </SubmitForm>
    </Section>
  );
}

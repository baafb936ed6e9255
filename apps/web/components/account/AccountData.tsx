'use client';

/**
 * Settings → "Your data": download everything the account holds (a ZIP), or delete the account
 * after typing the password again (docs/architecture.md, "Privacy").
 */
import { announceAccount } from '@/lib/account';
import { api, ok } from '@/lib/api/client';
import { useFormSubmit } from '@/lib/hooks/use-form-submit';
import { SettingsSection } from './SettingsSection';
import { Reveal } from '@/components/Reveal';
import { CurrentPasswordField } from './Field';

export function AccountDataSection() {
  // The page is left on success: the button stays disabled.
  const deletion = useFormSubmit(['deletePassword'], { staysPending: true });

  const submit = deletion.onSubmit(async (form) => {
    const password = String(form.get('deletePassword') ?? '');
    await ok(api.DELETE('/api/v1/me', { body: { password } }));
    announceAccount(null);
    window.location.assign('/?account=deleted');
  });
  const error = deletion.errors.fields.deletePassword ?? deletion.errors.form;

  return (
    <SettingsSection id="data" title="Your data" hint="Take everything out, or leave for good.">
      <p>
        <a className="button button--ghost" href="/api/v1/me/export" download data-testid="export-link">
          Download my data (ZIP)
        </a>
      </p>
      <p className="settings-section__hint">
        Your profile, tracks, comments, likes, playlists, purchases and plays as JSON, and every file you uploaded,
        exactly as you uploaded it.
      </p>
      <Reveal label="Delete my account…" testId="delete-account-start">
        {() => (
          <form className="form" onSubmit={submit} aria-describedby="delete-warning">
            <p id="delete-warning" role="note">
              This removes your profile, tracks, uploads, playlists and likes for good. Your comments stay, shown as
              “deleted user”. Sales records are kept without your name or address.
            </p>
            <CurrentPasswordField name="deletePassword" error={error ?? undefined} />
            <div className="form__actions">
              <button
                type="submit"
                className="button button--ghost"
                disabled={deletion.pending}
                data-testid="delete-account-confirm"
              >
                Delete my account for good
              </button>
            </div>
          </form>
        )}
      </Reveal>
    </SettingsSection>
  );
}

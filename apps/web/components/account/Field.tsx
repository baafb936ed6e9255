import type { FormEvent, InputHTMLAttributes, ReactNode } from 'react';
import type { FormSubmit } from '@/lib/hooks/use-form-submit';
import { EMAIL_MAX, HANDLE_MAX, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '@earshot/core/field-limits';

/** A labelled input whose server error is shown right under it and announced to screen readers. */
type FieldProps = {
  name: string;
  label: string;
  error?: string;
  hint?: string;
} & InputHTMLAttributes<HTMLInputElement>;

export function Field({ name, label, error, hint, ...input }: FieldProps) {
  const id = `field-${name}`;
  const describedBy = [error ? `${id}-error` : null, hint ? `${id}-hint` : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${error ? ' field--invalid' : ''}`}>
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      <input
        id={id}
        name={name}
        className="field__input"
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        {...input}
      />
      {hint && !error && (
        <p id={`${id}-hint`} className="field__hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="field__error" role="alert" data-field-error={name}>
          {error}
        </p>
      )}
    </div>
  );
}

export function FormError({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <p className="form__error" role="alert">
      {message}
    </p>
  );
}

/** The account fields the API limits the same way everywhere (`packages/core/src/accounts/fields.ts`). */
type AccountFieldProps = Omit<FieldProps, 'name' | 'label'> & { name?: string; label?: string };
const accountField = (defaults: FieldProps) => (props: AccountFieldProps) => <Field {...defaults} {...props} />;

/** An account's email address (at most 254 characters). */
export const EmailField = accountField({
  name: 'email',
  label: 'Email',
  type: 'email',
  autoComplete: 'email',
  required: true,
  maxLength: EMAIL_MAX,
});

/** A handle, the address of the account's page (2 to 30 letters, digits, - and _). */
export const HandleField = accountField({
  name: 'handle',
  label: 'Handle',
  autoComplete: 'username',
  required: true,
  maxLength: HANDLE_MAX,
  hint: 'Your page’s address: letters, digits, - and _.',
});

/** A password being chosen (10 to 256 characters). */
export const NewPasswordField = accountField({
  name: 'password',
  label: 'Password',
  type: 'password',
  autoComplete: 'new-password',
  required: true,
  minLength: PASSWORD_MIN_LENGTH,
  maxLength: PASSWORD_MAX_LENGTH,
  hint: `At least ${PASSWORD_MIN_LENGTH} characters.`,
});

/** The account's current password: signing in, or confirming a change to the account. */
export const CurrentPasswordField = accountField({
  name: 'password',
  label: 'Your password',
  type: 'password',
  autoComplete: 'current-password',
  required: true,
  maxLength: PASSWORD_MAX_LENGTH,
});

/**
 * A form submitted through `useFormSubmit`: its fields, the error for the whole form, then the
 * submit button ("busy" label while it runs) and what stands beside it.
 */
export function SubmitForm({
  s,
  onSubmit,
  submit,
  busy = submit,
  ghost = false,
  aside,
  testId,
  children,
}: {
  s: FormSubmit;
  onSubmit: (e: FormEvent<HTMLFormElement>) => void;
  submit: string;
  busy?: string;
  ghost?: boolean;
  aside?: ReactNode;
  testId?: string;
  children: ReactNode;
}) {
  return (
    <form
      className="form"
      method="post"
      onSubmit={onSubmit}
      noValidate
      data-hydrated={s.hydrated || undefined}
      data-testid={testId}
    >
      {children}
      <FormError message={s.errors.form} />
      <div className="form__actions">
        <button type="submit" className={`button button--${ghost ? 'ghost' : 'accent'}`} disabled={s.pending}>
          {s.busy ? busy : submit}
        </button>
        {aside}
      </div>
    </form>
  );
}

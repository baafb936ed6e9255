import type { MailMessage } from '@earshot/mail';

/** The texts of account mails. Links are absolute (`PUBLIC_URL`) and carry the raw token once. */

export function link(publicUrl: string, path: string, token: string): string {
  return `${publicUrl.replace(/\/+$/, '')}${path}?token=${encodeURIComponent(token)}`;
}

export function verificationMail(to: string, displayName: string, url: string): MailMessage {
  return {
    to,
    subject: 'Confirm your email address for Earshot',
    text: `Hi ${displayName},\n\nConfirm that ${to} is your email address by opening this link within 48 hours:\n\n${url}\n\nIf you did not create an Earshot account, ignore this mail.\n`,
  };
}

export function resetMail(to: string, displayName: string, url: string): MailMessage {
  return {
    to,
    subject: 'Reset your Earshot password',
    text: `Hi ${displayName},\n\nSomeone (hopefully you) asked to reset the password of your Earshot account. Choose a new password with this link; it works once, within one hour:\n\n${url}\n\nIf you did not ask for this, ignore this mail: your password stays as it is.\n`,
  };
}

export function emailChangedMail(to: string, displayName: string, newEmail: string): MailMessage {
  return {
    to,
    subject: 'Your Earshot email address was changed',
    text: `Hi ${displayName},\n\nThe email address of your Earshot account was changed to ${newEmail}. If you did not do this, reset your password and contact the site's operators.\n`,
  };
}

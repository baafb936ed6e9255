/**
 * A sentence read out when it appears: a failure (`role="alert"`, the default) or what an action did
 * (`role="status"`). Nothing is rendered while there is no message.
 */
export function Notice({
  message,
  className,
  as: Tag = 'p',
  role = 'alert',
}: {
  message: string | null | undefined;
  className: string;
  /** `span` inside a line of controls or a label. */
  as?: 'p' | 'span';
  role?: 'alert' | 'status';
}) {
  return message ? (
    <Tag className={className} role={role}>
      {message}
    </Tag>
  ) : null;
}

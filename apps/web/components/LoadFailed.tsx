/**
 * What a page or a part of it shows when its read failed (`useResource`'s `error`): the sentence
 * the API's error became and "Try again", which reads again. `LoadFailed` is the boxed message with
 * a heading; `RetryError` the one line above a list or a form.
 */
import type { ReactNode } from 'react';

export function LoadFailed({
  heading: Heading,
  title,
  text,
  retry,
  testId,
}: {
  /** The heading's level where the message stands. */
  heading: 'h1' | 'h2' | 'h3';
  title: string;
  text: ReactNode;
  retry: () => void;
  testId?: string;
}) {
  return (
    <div className="feed-message feed-message--error" role="alert" data-testid={testId}>
      <Heading className="feed-message__title">{title}</Heading>
      <p className="feed-message__text">{text}</p>
      <TryAgain retry={retry} />
    </div>
  );
}

export function RetryError({ message, retry, className }: { message: string; retry: () => void; className?: string }) {
  return (
    <div className={className}>
      <p className="form__error" role="alert">
        {message}
      </p>
      <TryAgain retry={retry} />
    </div>
  );
}

function TryAgain({ retry }: { retry: () => void }) {
  return (
    <button type="button" className="button button--ghost" onClick={retry}>
      Try again
    </button>
  );
}

import { splitLinks } from './links';

/** A comment body: escaped text with its http(s) links clickable (`rel="nofollow ugc noopener"`). Works on the server too. */
export function CommentText({ body }: { body: string }) {
  return (
    <>
      {splitLinks(body).map((part, i) =>
        part.kind === 'link' ? (
          <a key={i} href={part.href} rel="nofollow ugc noopener" target="_blank">
            {part.text}
          </a>
        ) : (
          <span key={i}>{part.text}</span>
        ),
      )}
    </>
  );
}

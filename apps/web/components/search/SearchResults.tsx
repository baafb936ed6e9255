'use client';

/** The results page: one tab per kind; each tab fetches its own ranked page, "More" fetches the next. */
import Link from 'next/link';
import { useState } from 'react';
import { describeApiError } from '@/lib/api';
import { useResource } from '@/lib/hooks/use-resource';
import { formatDuration } from '@/lib/tracks';
import { SEARCH_TABS, hitHref, searchPage, type SearchHit, type SearchType } from '@/lib/library';
import { Notice } from '@/components/Notice';
import './search.css';

function Hit({ hit }: { hit: SearchHit }) {
  const sub =
    hit.kind === 'track'
      ? `${hit.artist.displayName}${hit.durationMs ? ` · ${formatDuration(hit.durationMs)}` : ''}${hit.genre ? ` · ${hit.genre}` : ''}`
      : hit.kind === 'user'
        ? `@${hit.handle}`
        : hit.kind === 'release'
          ? `${hit.type.toUpperCase()} · ${hit.artist.displayName}${hit.releaseDate ? ` · ${hit.releaseDate.slice(0, 4)}` : ''}`
          : `${hit.trackCount} track${hit.trackCount === 1 ? '' : 's'} · ${hit.owner.displayName}`;
  return (
    <li className="search-result" data-testid="search-result">
      <div>
        <Link href={hitHref(hit)} prefetch={false}>
          {hit.kind === 'user' ? hit.displayName : hit.title}
        </Link>
        <div className="search-result__sub">{sub}</div>
      </div>
    </li>
  );
}

export function SearchResults({ q, initialType }: { q: string; initialType: SearchType }) {
  const [type, setType] = useState<SearchType>(initialType);
  const query = q.trim();
  const results = useResource(query ? `search:${type}:${query}` : null, (signal) => searchPage(q, type, { signal }));
  const [moreError, setMoreError] = useState<string | null>(null);
  const items: SearchHit[] | null = results.status === 'ready' ? results.data.items : null;
  const next = results.status === 'ready' ? results.data.nextCursor : null;
  const error = results.status === 'error' ? results.message : moreError;

  const more = () =>
    next &&
    searchPage(q, type, { cursor: next }).then(
      (r) => results.update((old) => ({ items: [...old.items, ...r.items], nextCursor: r.nextCursor })),
      (err) => setMoreError(describeApiError(err)),
    );

  return (
    <section className="section container" aria-labelledby="search-title">
      <h1 id="search-title" className="section__title">
        {q ? <>Results for “{q}”</> : 'Search'}
      </h1>
      {!q && <p className="feed-message">Type in the search box at the top of the page.</p>}
      {q && (
        <>
          <div role="tablist" aria-label="What to search" className="search-tabs">
            {SEARCH_TABS.map((tab) => (
              <button
                key={tab.type}
                type="button"
                role="tab"
                id={`tab-${tab.type}`}
                aria-selected={type === tab.type}
                aria-controls="search-panel"
                tabIndex={type === tab.type ? 0 : -1}
                onClick={() => setType(tab.type)}
                onKeyDown={(e) => {
                  const i = SEARCH_TABS.findIndex((t) => t.type === type);
                  const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
                  if (!step) return;
                  const nextTab = SEARCH_TABS[(i + step + SEARCH_TABS.length) % SEARCH_TABS.length]!;
                  setType(nextTab.type);
                  document.getElementById(`tab-${nextTab.type}`)?.focus();
                }}
              >
                {tab.label}
              </button>
            ))}
          </div>
          <div id="search-panel" role="tabpanel" aria-labelledby={`tab-${type}`}>
            <Notice className="feed-message feed-message--error" message={error} />
            {!items && !error && <p role="status">Searching…</p>}
            {items && items.length === 0 && <p role="status">Nothing found.</p>}
            {items && items.length > 0 && (
              <ul className="search-results">
                {items.map((hit) => (
                  <Hit key={`${hit.kind}-${hit.id}`} hit={hit} />
                ))}
              </ul>
            )}
            {next && (
              <button type="button" className="button button--ghost" onClick={more}>
                More
              </button>
            )}
          </div>
        </>
      )}
    </section>
  );
}

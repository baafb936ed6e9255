'use client';

/**
 * The header's search box: suggestions as you type (tracks and artists, after a short pause),
 * as an ARIA combobox — ↓/↑ move through them, Enter opens the chosen one or the results page,
 * Escape closes the list.
 */
import { useRouter } from 'next/navigation';
import { useEffect, useId, useRef, useState } from 'react';
import { hitHref, searchPage, type SearchHit } from '@/lib/library';
import { SearchForm } from './SearchForm';
import './search.css';
import { SEARCH_QUERY_MAX } from '@earshot/core/field-limits';

const PAUSE_MS = 180;

function label(hit: SearchHit): { main: string; sub: string } {
  switch (hit.kind) {
    case 'track':
      return { main: hit.title, sub: hit.artist.displayName };
    case 'user':
      return { main: hit.displayName, sub: `@${hit.handle}` };
    case 'release':
      return { main: hit.title, sub: `${hit.type} · ${hit.artist.displayName}` };
    case 'playlist':
      return { main: hit.title, sub: `playlist · ${hit.owner.displayName}` };
  }
}

export function SearchBox() {
  const router = useRouter();
  const id = useId();
  const listId = `${id}-suggestions`;
  const [q, setQ] = useState('');
  const [hits, setHits] = useState<SearchHit[]>([]);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  useEffect(() => {
    clearTimeout(timer.current);
    const query = q.trim();
    if (query.length < 2) {
      setHits([]);
      return;
    }
    const controller = new AbortController();
    timer.current = setTimeout(() => {
      Promise.all([
        searchPage(query, 'track', { limit: 5, signal: controller.signal }),
        searchPage(query, 'user', { limit: 3, signal: controller.signal }),
      ]).then(
        ([tracks, users]) => {
          setHits([...tracks.items, ...users.items]);
          setActive(-1);
        },
        () => undefined,
      );
    }, PAUSE_MS);
    return () => controller.abort();
  }, [q]);

  const go = (href: string) => {
    setOpen(false);
    router.push(href);
  };
  const submit = () => {
    const query = q.trim();
    if (!query) return;
    const chosen = active >= 0 ? hits[active] : undefined;
    go(chosen ? hitHref(chosen) : `/search?q=${encodeURIComponent(query)}`);
  };
  const shown = open && hits.length > 0;

  return (
    <SearchForm className="search-box" onSearch={submit}>
      <label htmlFor={`${id}-q`} className="visually-hidden">
        Search tracks, artists, releases and playlists
      </label>
      <input
        id={`${id}-q`}
        className="search-box__input"
        type="search"
        placeholder="Search"
        autoComplete="off"
        maxLength={SEARCH_QUERY_MAX}
        role="combobox"
        aria-expanded={shown}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={shown && active >= 0 ? `${listId}-${active}` : undefined}
        value={q}
        data-testid="search-input"
        onChange={(e) => {
          setQ(e.target.value);
          setOpen(true);
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown' && hits.length) {
            e.preventDefault();
            setOpen(true);
            setActive((a) => (a + 1) % hits.length);
          } else if (e.key === 'ArrowUp' && hits.length) {
            e.preventDefault();
            setActive((a) => (a <= 0 ? hits.length - 1 : a - 1));
          } else if (e.key === 'Escape') {
            setOpen(false);
            setActive(-1);
          }
        }}
      />
      <ul id={listId} role="listbox" aria-label="Suggestions" className="search-box__list" hidden={!shown}>
        {hits.map((hit, i) => {
          const { main, sub } = label(hit);
          return (
            <li
              key={`${hit.kind}-${hit.id}`}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={i === active}
              className="search-box__option"
              data-testid="search-suggestion"
              onMouseDown={(e) => {
                e.preventDefault();
                go(hitHref(hit));
              }}
            >
              <span className="search-box__main">{main}</span> <span className="search-box__sub">{sub}</span>
            </li>
          );
        })}
      </ul>
    </SearchForm>
  );
}

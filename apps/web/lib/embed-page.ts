/** What the embed pages (`/embed/track/:id`, `/embed/release/:id`) share on the server. */
import type { Metadata } from 'next';
import type { ServerRead } from '@/lib/server-api';

export type EmbedParams = Promise<{ id: string }>;

/** Embeds are not pages of their own in search results. */
export const embedMetadata: Metadata = { title: 'Player', robots: { index: false, follow: false } };

/**
 * The embed's id and what the API answered for it, for the first HTML. An id that is not a row id
 * is not asked for: the embed gets '0' and says there is nothing here.
 */
export async function loadEmbed<T>(
  params: EmbedParams,
  read: (id: string) => Promise<ServerRead<T>>,
): Promise<{ id: string; initial: T | null }> {
  const { id } = await params;
  if (!/^[0-9]{1,18}$/.test(id)) return { id: '0', initial: null };
  const loaded = await read(id);
  return { id, initial: loaded.kind === 'found' ? loaded.body : null };
}

/**
 * A small shared cache of serialised values (the trending lists): Redis in production, process
 * memory embedded (docs/architecture.md, "Insights and trending"). Values are strings so both
 * adapters store the same bytes; every entry has a time to live.
 */
export interface ListCache {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
  /** Removes every entry whose key starts with `prefix`. */
  deletePrefix(prefix: string): Promise<void>;
  close(): Promise<void>;
}

/** The embedded adapter: a Map with expiry times, bounded in entries. */
export class MemoryListCache implements ListCache {
  private readonly entries = new Map<string, { value: string; expiresAt: number }>();
  constructor(
    private readonly now: () => number = Date.now,
    private readonly maxEntries = 1000,
  ) {}

  async get(key: string): Promise<string | null> {
    const entry = this.entries.get(key);
    if (!entry) return null;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return null;
    }
    return entry.value;
  }

  async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    this.entries.delete(key);
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(key, { value, expiresAt: this.now() + ttlSeconds * 1000 });
  }

  async deletePrefix(prefix: string): Promise<void> {
    for (const key of [...this.entries.keys()]) if (key.startsWith(prefix)) this.entries.delete(key);
  }

  async close(): Promise<void> {
    this.entries.clear();
  }
}

import { afterEach, describe, expect, it, vi } from 'vitest';
import { ReadyPoller } from '../src/embedded-poller.ts';
import type { EmbeddedJobStore } from '../src/embedded-store.ts';
import type { QueueName } from '../src/registry.ts';
import { waitFor } from './wait-for.ts';

/** A store whose `readyQueues` answers from a script: an error to throw or the queues with work. */
function scriptedStore(answers: Array<Error | QueueName[]>) {
  const calls: Array<{ queues: readonly QueueName[]; owner: string; at: number }> = [];
  const store = {
    async readyQueues(queues: readonly QueueName[], owner: string) {
      calls.push({ queues, owner, at: performance.now() });
      const answer = answers.length > 1 ? answers.shift()! : answers[0]!;
      if (answer instanceof Error) throw answer;
      return answer;
    },
  } as unknown as EmbeddedJobStore;
  return { store, calls };
}

describe('ReadyPoller', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("looks once per interval for all the instance's queues and wakes only those with work", async () => {
    // Fake timers: "no look after stop" is then a fact about the timer queue (nothing left in it,
    // and a second of intervals run through), not a guess after a sleep.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { store, calls } = scriptedStore([['loudness'], []]);
    const woken: QueueName[] = [];
    const poller = new ReadyPoller({
      store,
      owner: 'me',
      intervalMs: 5,
      queues: () => ['transcode', 'loudness'],
      wake: (q) => woken.push(q),
      onError: () => {},
    });
    poller.start();
    await vi.advanceTimersByTimeAsync(15);
    expect(calls).toHaveLength(3);
    await poller.stop();
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(calls).toHaveLength(3);
    expect(calls[0]).toMatchObject({ queues: ['transcode', 'loudness'], owner: 'me' });
    expect(woken).toEqual(['loudness']);
  });

  it('backs off while the database fails, reports each failure once, and recovers', async () => {
    const down = new Error('connection refused');
    const { store, calls } = scriptedStore([down, down, down, ['waveform']]);
    const reports: string[] = [];
    const woken: QueueName[] = [];
    const poller = new ReadyPoller({
      store,
      owner: 'me',
      intervalMs: 10,
      queues: () => ['waveform'],
      wake: (q) => woken.push(q),
      onError: (err, what) => reports.push(`${what}: ${(err as Error).message}`),
    });
    poller.start();
    await waitFor('recovery', () => woken.length > 0);
    await poller.stop();
    expect(reports).toEqual([1, 2, 3].map((n) => `looking for ready jobs (failure ${n} in a row): connection refused`));
    // After each failure the wait doubles (20, 40, 80 ms with a 10 ms interval); timers never fire
    // early, so these are lower bounds whatever the machine's load (1 ms of timer rounding allowed).
    const gaps = calls.slice(1, 4).map((c, i) => c.at - calls[i]!.at);
    expect(gaps.map((g, i) => g >= [20, 40, 80][i]! - 1)).toEqual([true, true, true]);
  });

  it('does not query while the instance consumes no queue', async () => {
    const { store, calls } = scriptedStore([[]]);
    // Each look starts by reading the instance's queues: three reads are three looks that found none.
    let looks = 0;
    const poller = new ReadyPoller({
      store,
      owner: 'me',
      intervalMs: 2,
      queues: () => (looks++, []),
      wake: () => {},
      onError: () => {},
    });
    poller.start();
    await waitFor('three looks', () => looks >= 3);
    await poller.stop();
    expect(calls).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
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
  it("looks once per interval for all the instance's queues and wakes only those with work", async () => {
    const { store, calls } = scriptedStore([['loudness'], []]);
    const woken: QueueName[] = [];
    const poller = new ReadyPoller({ store, owner: 'me', intervalMs: 5, queues: () => ['transcode', 'loudness'], wake: (q) => woken.push(q), onError: () => {} });
    poller.start();
    await waitFor('three looks', () => calls.length >= 3);
    await poller.stop();
    const after = calls.length;
    await new Promise((r) => setTimeout(r, 30));
    expect(calls.length).toBe(after);
    expect(calls[0]).toMatchObject({ queues: ['transcode', 'loudness'], owner: 'me' });
    expect(woken).toEqual(['loudness']);
  });

  it('backs off while the database fails, reports each failure once, and recovers', async () => {
    const down = new Error('connection refused');
    const { store, calls } = scriptedStore([down, down, down, ['waveform']]);
    const reports: string[] = [];
    const woken: QueueName[] = [];
    const poller = new ReadyPoller({ store, owner: 'me', intervalMs: 10, queues: () => ['waveform'], wake: (q) => woken.push(q), onError: (err, what) => reports.push(`${what}: ${(err as Error).message}`) });
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
    const poller = new ReadyPoller({ store, owner: 'me', intervalMs: 2, queues: () => [], wake: () => {}, onError: () => {} });
    poller.start();
    await new Promise((r) => setTimeout(r, 30));
    await poller.stop();
    expect(calls).toEqual([]);
  });
});

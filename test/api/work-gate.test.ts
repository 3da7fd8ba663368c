/** The work gate: so many jobs at once, so many waiting, the rest refused at once. */
import { describe, expect, it } from 'vitest';
import { createWorkGate, GateFullError } from '../../api/work-gate.js';

const turn = () => new Promise((r) => setImmediate(r));

describe('createWorkGate', () => {
  it('runs one job at a time, queues two, refuses the next, and goes on when a job fails', async () => {
    const gate = createWorkGate(1, 2);
    const finish: (() => void)[] = [];
    const order: string[] = [];
    const job = (name: string, fail = false) =>
      gate.run(
        () =>
          new Promise<string>((resolve, reject) => {
            order.push(name);
            finish.push(() => (fail ? reject(new Error(name)) : resolve(name)));
          }),
      );
    const a = job('a', true);
    const b = job('b');
    const c = job('c');
    await expect(job('d')).rejects.toBeInstanceOf(GateFullError);
    await turn();
    expect(order).toEqual(['a']);
    expect(gate.load()).toEqual({ running: 1, waiting: 2 });
    finish[0]!();
    await expect(a).rejects.toThrow('a');
    await turn();
    expect(order).toEqual(['a', 'b']);
    finish[1]!();
    await expect(b).resolves.toBe('b');
    await turn();
    finish[2]!();
    await expect(c).resolves.toBe('c');
    expect(gate.load()).toEqual({ running: 0, waiting: 0 });
  });

  it('queues work the server asked for however many wait', async () => {
    const gate = createWorkGate(1, 0);
    let release!: () => void;
    const first = gate.run(() => new Promise<void>((r) => (release = r)));
    await expect(gate.run(async () => 'refused')).rejects.toBeInstanceOf(GateFullError);
    const queued = [1, 2, 3].map((n) => gate.queue(async () => n));
    expect(gate.load()).toEqual({ running: 1, waiting: 3 });
    release();
    await first;
    await expect(Promise.all(queued)).resolves.toEqual([1, 2, 3]);
  });
});

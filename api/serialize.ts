/** Runs tasks with the same key one after another (in this process), tasks with other keys freely. */

export type Serial = <T>(key: string, task: () => Promise<T>) => Promise<T>;

export function serialize(): Serial {
  const queues = new Map<string, Promise<unknown>>();
  return (key, task) => {
    const prev = queues.get(key) ?? Promise.resolve();
    const run = prev.then(task);
    const tail = run.catch(() => undefined);
    queues.set(key, tail);
    void tail.then(() => {
      if (queues.get(key) === tail) queues.delete(key);
    });
    return run;
  };
}

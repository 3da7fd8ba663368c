/** At most `concurrency` jobs at once and `queueMax` waiting; a job beyond that is refused at once. */
export class GateFullError extends Error {
  constructor() {
    super('too many waiting');
    this.name = 'GateFullError';
  }
}

export interface WorkGate {
  run<T>(job: () => Promise<T>): Promise<T>;
  /** Jobs running and waiting. */
  load(): { running: number; waiting: number };
}

export function createWorkGate(concurrency: number, queueMax: number): WorkGate {
  let running = 0;
  const waiting: (() => void)[] = [];
  const release = () => {
    running--;
    const next = waiting.shift();
    if (next) {
      running++;
      next();
    }
  };
  return {
    async run(job) {
      if (running >= concurrency) {
        if (waiting.length >= queueMax) throw new GateFullError();
        await new Promise<void>((resolve) => waiting.push(resolve));
      } else running++;
      try {
        return await job();
      } finally {
        release();
      }
    },
    load: () => ({ running, waiting: waiting.length }),
  };
}

/** At most `concurrency` jobs at once and `queueMax` waiting; a job beyond that is refused at once. */
export class GateFullError extends Error {
  constructor() {
    super('too many waiting');
    this.name = 'GateFullError';
  }
}

export interface WorkGate {
  /** Runs the job in its turn; refused at once (GateFullError) when `queueMax` jobs already wait. */
  run<T>(job: () => Promise<T>): Promise<T>;
  /** Runs the job in its turn, however many wait: for work the server itself asked for, not a client. */
  queue<T>(job: () => Promise<T>): Promise<T>;
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
  const enter = async <T>(job: () => Promise<T>, bounded: boolean): Promise<T> => {
    if (running >= concurrency) {
      if (bounded && waiting.length >= queueMax) throw new GateFullError();
      await new Promise<void>((resolve) => waiting.push(resolve));
    } else running++;
    try {
      return await job();
    } finally {
      release();
    }
  };
  return {
    run: (job) => enter(job, true),
    queue: (job) => enter(job, false),
    load: () => ({ running, waiting: waiting.length }),
  };
}

/** Appends ground-truth records to a JSONL file, one line each, as the run goes. */
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { TruthLine } from './truth-record.js';

export interface TruthWriter {
  write(line: TruthLine): void;
}

/** A new file at `path` (an earlier run's file is replaced); `null` writes nothing. */
export function createTruthWriter(path: string | null): TruthWriter {
  if (path === null) return { write: () => {} };
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, '');
  return { write: (line) => appendFileSync(path, `${JSON.stringify(line)}\n`) };
}

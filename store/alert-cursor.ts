/** The opaque cursor of alert pages: the (raisedAt, id) of the last alert returned, base64url. */
import type { Alert } from '../core/alert.js';
import { StoreError } from './telemetry-store.js';

export function encodeCursor(last: Alert): string {
  return Buffer.from(JSON.stringify([Date.parse(last.raisedAt), last.id])).toString('base64url');
}

/** Throws a BadCursorError the API turns into a 400 naming `cursor`. */
export function decodeCursor(cursor: string): { raisedAt: number; id: string } {
  try {
    const [raisedAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof raisedAt === 'number' && typeof id === 'string') return { raisedAt, id };
  } catch {
    // fall through
  }
  throw new BadCursorError(cursor);
}

export class BadCursorError extends StoreError {
  constructor(readonly cursor: string) {
    super('cursor is not one this API returned');
    this.name = 'BadCursorError';
  }
}

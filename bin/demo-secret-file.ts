/** The demo secret: random per data folder, made on first start and kept there readable by its owner only. */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface DemoSecret {
  secret: string;
  /** Where it is kept; `null` when DEMO_SECRET set it. */
  path: string | null;
  created: boolean;
}

export const DEMO_SECRET_FILE = 'demo-secret';

/**
 * A published secret would let anyone compute the demo's admin key, so each data folder gets its own.
 * `wx` makes the first writer win when several services share the folder and start together; the
 * others read what it wrote. Mode 0600: the secret derives every demo key and device token.
 */
export function loadOrCreateDemoSecret(dataDir: string, fromEnv?: string): DemoSecret {
  if (fromEnv) return { secret: fromEnv, path: null, created: false };
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, DEMO_SECRET_FILE);
  try {
    writeFileSync(path, `${randomBytes(32).toString('hex')}\n`, { flag: 'wx', mode: 0o600 });
    return { secret: readSecret(path), path, created: true };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    return { secret: readSecret(path), path, created: false };
  }
}

function readSecret(path: string): string {
  const secret = readFileSync(path, 'utf8').trim();
  if (secret.length < 16)
    throw new Error(`demo secret in ${path} is too short; delete the file to make a new one`);
  return secret;
}

/** The VAPID key pair for Web Push: from the environment, or made once and kept in the data folder (0600). */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateVapidKeys, type VapidKeys } from '../api/web-push-channel.js';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Keys must outlive restarts: a browser's subscription is bound to the public key it subscribed
 * with, so a new pair would silently orphan every phone.
 */
export function loadOrCreateVapid(dataDir: string, env: Env): VapidKeys {
  const subject = env.VAPID_SUBJECT || 'mailto:waterline@localhost';
  if (env.VAPID_PUBLIC_KEY && env.VAPID_PRIVATE_KEY)
    return { publicKey: env.VAPID_PUBLIC_KEY, privateKey: env.VAPID_PRIVATE_KEY, subject };
  const path = join(dataDir, 'vapid.json');
  try {
    const kept = JSON.parse(readFileSync(path, 'utf8')) as VapidKeys;
    return { ...kept, subject };
  } catch {
    const keys = generateVapidKeys(subject);
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(path, JSON.stringify({ publicKey: keys.publicKey, privateKey: keys.privateKey }), {
      mode: 0o600,
    });
    return keys;
  }
}

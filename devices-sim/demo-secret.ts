/**
 * Demo credentials, derived from one documented secret so the simulator can log in as every demo
 * device. FOR THE DEMO ONLY: a real registry holds hashes of tokens that exist nowhere else.
 */
import { createHash, createHmac } from 'node:crypto';

/** The published demo secret; override with DEMO_SECRET to make a private demo registry. */
export const DEFAULT_DEMO_SECRET = 'waterline-demo-secret';

const derive = (secret: string, label: string) => createHmac('sha256', secret).update(label).digest('hex');

/** The MQTT password (token) of a demo device. */
export function demoDeviceToken(deviceId: string, secret = DEFAULT_DEMO_SECRET): string {
  return derive(secret, `device:${deviceId}`).slice(0, 32);
}

/** The bearer key of a demo API key id (demo-admin, demo-planner, ops-<county>). */
export function demoApiKey(keyId: string, secret = DEFAULT_DEMO_SECRET): string {
  return `wl-demo-${derive(secret, `key:${keyId}`).slice(0, 32)}`;
}

export const sha256Hex = (text: string) => createHash('sha256').update(text).digest('hex');

/** The password of a demo person (admin, planner, <county>-operator): printed by `npm start`. */
export function demoPassword(userName: string, secret = DEFAULT_DEMO_SECRET): string {
  return Buffer.from(derive(secret, `password:${userName}`).slice(0, 24), 'hex').toString('base64url');
}

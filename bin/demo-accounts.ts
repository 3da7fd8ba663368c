/** The demo's people and keys: one account per demo API key, all derived from the data folder's demo secret. */
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { UserStore } from '../api/users.js';
import type { Registry } from '../core/registry.js';
import type { Role } from '../core/registry-schema.js';
import { demoApiKey, demoPassword } from '../devices-sim/demo-secret.js';

export interface DemoAccount {
  role: Role;
  counties?: string[];
  /** The API key (for machines, curl) and the person's name and password (for the pages). */
  keyId: string;
  key: string;
  user: string;
  password: string;
}

export const DEMO_CREDENTIALS_FILE = 'demo-credentials.txt';

/** `demo-admin` → admin, `demo-planner` → planner, `ops-xiji` → xiji-operator. */
export function demoUserName(keyId: string): string {
  const ops = /^ops-(.+)$/.exec(keyId);
  return ops ? `${ops[1]}-operator` : keyId.replace(/^demo-/, '');
}

export function demoAccounts(registry: Registry, secret: string): DemoAccount[] {
  return registry.file.apiKeys.map((k) => {
    const user = demoUserName(k.id);
    return {
      role: k.role,
      ...(k.counties ? { counties: k.counties } : {}),
      keyId: k.id,
      key: demoApiKey(k.id, secret),
      user,
      password: demoPassword(user, secret),
    };
  });
}

/** Adds the demo people that are missing (a password someone changed is kept). */
export async function ensureDemoUsers(users: UserStore, accounts: readonly DemoAccount[]): Promise<number> {
  const added = await Promise.all(
    accounts.map((a) =>
      users.addUser({
        name: a.user,
        password: a.password,
        role: a.role,
        ...(a.counties ? { counties: a.counties } : {}),
      }),
    ),
  );
  return added.filter(Boolean).length;
}

/** Every demo key and password in a file only its owner may read; returns its path. */
export function writeDemoCredentials(dataDir: string, accounts: readonly DemoAccount[]): string {
  const path = join(dataDir, DEMO_CREDENTIALS_FILE);
  const rows = accounts.map((a) =>
    [
      a.role.padEnd(8),
      (a.counties?.join(',') ?? '*').padEnd(12),
      a.user.padEnd(24),
      a.password.padEnd(18),
      a.keyId.padEnd(18),
      a.key,
    ].join(' '),
  );
  const text = [
    '# waterline demo sign-ins: people use name + password on the pages; machines use the API key.',
    '# Derived from the demo-secret file beside this one: delete both (and users.db) for new ones.',
    `# ${['role'.padEnd(8), 'counties'.padEnd(12), 'name'.padEnd(24), 'password'.padEnd(18), 'key id'.padEnd(18), 'API key'].join(' ')}`,
    ...rows,
    '',
  ].join('\n');
  writeFileSync(path, text, { mode: 0o600 });
  chmodSync(path, 0o600);
  return path;
}

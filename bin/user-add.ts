/** `npm run user:add -- --name NAME --role viewer|operator|admin [--counties a,b] [--data DIR]`: adds or replaces a person. */
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createUserStore, NewUser } from '../api/users.js';

async function main(): Promise<number> {
  let args: ReturnType<typeof parse>;
  try {
    args = parse();
  } catch (e) {
    console.error(`user:add: ${(e as Error).message}`);
    return 2;
  }
  const { values } = args;
  // The password comes from the environment (not argv, which other users of the machine can read),
  // or is made here and printed once.
  const made = !process.env.USER_PASSWORD;
  const password = process.env.USER_PASSWORD || randomBytes(12).toString('base64url');
  const user = NewUser.safeParse({
    name: values.name,
    password,
    role: values.role,
    ...(values.counties ? { counties: values.counties.split(',').filter(Boolean) } : {}),
  });
  if (!user.success) {
    for (const i of user.error.issues) console.error(`user:add: --${String(i.path[0] ?? '')}: ${i.message}`);
    return 2;
  }
  const dataDir = values.data ?? process.env.DATA_DIR ?? './data';
  const users = createUserStore(resolve(dataDir, 'users.db'));
  try {
    await users.addUser(user.data, { replace: true });
    // A new password ends the person's old sessions.
    users.endAllSessions(user.data.name);
    users.audit({
      at: Date.now(),
      actor: process.env.USER ?? 'cli',
      via: 'system',
      action: 'user:add',
      target: user.data.name,
      status: null,
    });
  } finally {
    users.close();
  }
  console.log(`user ${user.data.name} (${user.data.role}) saved in ${resolve(dataDir, 'users.db')}`);
  if (made) console.log(`password ${password}`);
  return 0;
}

function parse() {
  return parseArgs({
    options: {
      name: { type: 'string' },
      role: { type: 'string' },
      counties: { type: 'string' },
      data: { type: 'string' },
    },
    strict: true,
  });
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(`user:add: ${(e as Error).message}`);
    process.exit(1);
  },
);

/**
 * A flood of sign-ins is checked one password at a time with a short queue, and the rest are told to
 * retry: scrypt runs on the thread pool the store's WAL syncs share, so it must not take the pool over.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { derivations } from '../../api/password.js';
import { createUserStore, type UserStore } from '../../api/users.js';
import { createFixture } from './fixture.js';

let users: UserStore;
let f: ReturnType<typeof createFixture>;
beforeAll(async () => {
  users = createUserStore(join(mkdtempSync(join(tmpdir(), 'wl-flood-')), 'users.db'));
  await users.addUser({ name: 'ma.li', password: 'correct horse', role: 'operator', counties: ['xiji'] });
  f = createFixture({ users });
});
afterAll(() => {
  f.close();
  users.close();
});

const signIn = () =>
  Promise.resolve(
    f.app.request(
      'http://127.0.0.1/ui/sign-in',
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'ma.li', password: 'correct horse' }),
      },
      { incoming: { socket: { remoteAddress: '192.0.2.7' } } },
    ),
  );

it('answers 60 sign-ins at once: one password check at a time, 32 waiting, the rest 503 with Retry-After', async () => {
  let most = 0;
  const watch = setInterval(() => {
    most = Math.max(most, derivations.load().running);
  }, 1);
  const answers = await Promise.all(Array.from({ length: 60 }, signIn));
  clearInterval(watch);
  const statuses = answers.map((r) => r.status);
  const busy = answers.filter((r) => r.status === 503);
  // 1 checking + 32 waiting when all 60 arrive within the first check (in-process requests do).
  expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(33);
  expect(busy.length).toBeGreaterThan(0);
  expect(statuses.every((s) => s === 200 || s === 503)).toBe(true);
  expect(busy[0]!.headers.get('retry-after')).toBe('1');
  expect(((await busy[0]!.json()) as { detail: string }).detail).toContain('too many sign-ins at once');
  expect(most).toBe(1);
  // Once the flood has passed, signing in works again.
  expect((await signIn()).status).toBe(200);
});

/** What `npm run NAME` runs when its script is `node FLAGS FILE`: its pre-script first (a build), then node's arguments. */
import { execSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Runs `pre<name>` when there is one and returns the arguments to give `process.execPath` (cwd: the project root). */
export function nodeScript(name: string): string[] {
  const { scripts } = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as {
    scripts: Record<string, string>;
  };
  const script = scripts[name];
  const [cmd, ...args] = (script ?? '').split(' ');
  if (cmd !== 'node') throw new Error(`npm run ${name} is not a node command line: ${script}`);
  if (scripts[`pre${name}`]) execSync(`npm run --silent pre${name}`, { cwd: ROOT, stdio: 'inherit' });
  return args;
}

/** `npm run bench [-- NAME...]`: runs every bench/*.bench.ts (or those whose name contains a NAME), one child process each. */
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const filters = process.argv.slice(2);
const all = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .sort();
const chosen = filters.length === 0 ? all : all.filter((f) => filters.some((name) => f.includes(name)));
if (chosen.length === 0) {
  console.error(`no benchmark matches ${filters.join(', ')}; there are: ${all.join(', ') || 'none'}`);
  process.exit(2);
}

let failed = 0;
for (const file of chosen) {
  console.log(`\n=== ${file}`);
  // A fresh process per benchmark: no warm JIT, heap or sockets carried from one to the next.
  const code = await new Promise<number>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(here, file)], { stdio: 'inherit' });
    child.once('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0)));
  });
  if (code !== 0) {
    failed++;
    console.error(`${file} exited with ${code}`);
  }
}
process.exit(failed > 0 ? 1 : 0);

/** Source and docs cite GB 5749-2022 where each limit really is: free chlorine in 表2, not an appendix. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const DIRS = ['core', 'ingest', 'api', 'store', 'web', 'broker', 'devices-sim', 'bench', 'test', 'docs'];

function files(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.flatMap((n) => {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) return files(p);
    return /\.(ts|tsx|md)$/.test(n) ? [p] : [];
  });
}

describe('GB 5749-2022 citations', () => {
  const sources = [join(ROOT, 'README.md'), ...DIRS.flatMap((d) => files(join(ROOT, d)))].filter(
    (p) => !p.endsWith('citations.test.ts'),
  );

  it('never place free chlorine in an appendix (Table A.1, Appendix A, 附录A)', () => {
    const wrong = sources.flatMap((p) =>
      readFileSync(p, 'utf8')
        .split('\n')
        .map((line, i) => ({ line, at: `${p.slice(ROOT.length + 1)}:${i + 1}` }))
        .filter(
          ({ line }) =>
            /5749/.test(line) && /(Table A\.?\d|Appendix A|Annex A|附录\s*A|表\s*A\.?\d)/i.test(line),
        )
        .map(({ at }) => at),
    );
    expect(wrong).toEqual([]);
  });

  it('cite 表2 (disinfectant indicators) at both free chlorine rules', () => {
    const defaults = readFileSync(join(ROOT, 'core/rules/defaults.ts'), 'utf8');
    for (const rule of ['chlorine-plant', 'chlorine-network']) {
      const block = defaults.slice(defaults.indexOf(`'${rule}': {`), defaults.indexOf(`rule: '${rule}'`));
      expect(block).toMatch(/GB 5749-2022 表2/);
    }
  });
});

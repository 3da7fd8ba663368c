/** Command-line flags read with `node:util` `parseArgs`, every problem collected rather than thrown. */
import { parseArgs } from 'node:util';
import type { Issue } from './result.js';

export interface FlagDef {
  /** `--flag VALUE` / `--flag=VALUE`; otherwise a switch (`--no-sim`). */
  takesValue: boolean;
  /** May be given several times (`--fault`); otherwise the last one wins. */
  multiple?: boolean;
}

export interface ReadFlags {
  /** Each flag given (`--registry`), with its values in order (`''` for a switch). */
  values: Map<string, string[]>;
  issues: Issue[];
  /** `--help` or `-h` was given. */
  help: boolean;
}

type Options = NonNullable<Parameters<typeof parseArgs>[0]>['options'];

/**
 * `parseArgs` in non-strict mode with tokens, so an unknown flag, a missing value or a value on a
 * switch is one issue each and parsing goes on (strict mode throws at the first). A value that is
 * itself a flag (`--data --no-sim`) is refused, and the flag read as a flag.
 */
export function readFlags(
  argv: readonly string[],
  defs: Readonly<Record<string, FlagDef>>,
  unknownHint = '',
): ReadFlags {
  const options: Options = { help: { type: 'boolean', short: 'h' } };
  for (const [flag, d] of Object.entries(defs)) {
    options[flag.slice(2)] = d.multiple
      ? { type: d.takesValue ? 'string' : 'boolean', multiple: true }
      : { type: d.takesValue ? 'string' : 'boolean' };
  }
  const values = new Map<string, string[]>();
  const issues: Issue[] = [];
  let help = false;
  const unknown = (name: string) =>
    issues.push({ path: name, message: `unknown flag "${name}"${unknownHint}` });
  let args = [...argv];
  for (let restart = true; restart; ) {
    restart = false;
    const { tokens } = parseArgs({ args, options, strict: false, allowPositionals: true, tokens: true });
    for (const t of tokens) {
      if (t.kind === 'positional') {
        unknown(t.value);
        continue;
      }
      if (t.kind === 'option-terminator') {
        unknown('--');
        continue;
      }
      if (t.name === 'help') {
        help = true;
        continue;
      }
      const flag = `--${t.name}`;
      const def = defs[flag];
      if (!def || t.rawName !== flag) {
        unknown(t.rawName);
        continue;
      }
      if (!def.takesValue) {
        if (t.inlineValue) issues.push({ path: flag, message: `${flag} takes no value` });
        else values.set(flag, [...(values.get(flag) ?? []), '']);
        continue;
      }
      if (t.value === undefined || (!t.inlineValue && t.value.startsWith('--'))) {
        issues.push({ path: flag, message: `${flag} needs a value` });
        if (t.value !== undefined) {
          // The next flag was taken as this one's value: read the rest again from that flag.
          args = args.slice(t.index + 1);
          restart = true;
          break;
        }
        continue;
      }
      values.set(flag, def.multiple ? [...(values.get(flag) ?? []), t.value] : [t.value]);
    }
  }
  return { values, issues, help };
}

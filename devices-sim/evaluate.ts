/** `npm run evaluate`: scores the platform's alerts (from its API) against the simulator's ground truth. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_SECRET_FILE } from '../bin/demo-secret-file.js';
import { AlertsApiError, fetchAlerts, fetchIncidentRoots } from './alerts-client.js';
import { demoApiKey } from './demo-secret.js';
import { formatScore } from './format-score.js';
import { scoreAlerts } from './score.js';
import { parseTruth } from './truth-record.js';

const USAGE = `Usage: npm run evaluate -- [--truth FILE] [--api URL] [--key KEY] [--json]
  --truth FILE   ground truth the simulator wrote (default sim-truth.jsonl)
  --api URL      the platform's HTTP address (API_URL; default http://127.0.0.1:$HTTP_PORT or :3000)
  --key KEY      an API key that reads every county (API_KEY; default the demo admin key of $DATA_DIR or ./data)
  --json         print the scores as JSON`;

function flags(argv: readonly string[]): {
  values: Record<string, string>;
  json: boolean;
  problems: string[];
} {
  const values: Record<string, string> = {};
  const problems: string[] = [];
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--json') json = true;
    else if (['--truth', '--api', '--key'].includes(a) && argv[i + 1] !== undefined) values[a] = argv[++i]!;
    else problems.push(a === '--help' ? USAGE : `unknown or incomplete flag "${a}"`);
  }
  return { values, json, problems };
}

async function main(): Promise<number> {
  const f = flags(process.argv.slice(2));
  if (f.problems.length > 0) {
    console.error(f.problems.join('\n'));
    return f.problems[0] === USAGE ? 0 : 2;
  }
  const path = f.values['--truth'] ?? 'sim-truth.jsonl';
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    console.error(
      `evaluate: cannot read ${path}: ${(e as Error).message} (run the simulator with faults first)`,
    );
    return 2;
  }
  const truth = parseTruth(text);
  if (!truth.ok) {
    console.error(`evaluate: ${path} is not a truth file:\n  ${truth.issues.join('\n  ')}`);
    return 2;
  }
  const apiUrl =
    f.values['--api'] ?? process.env.API_URL ?? `http://127.0.0.1:${process.env.HTTP_PORT || 3000}`;
  const key =
    f.values['--key'] ??
    process.env.API_KEY ??
    demoApiKey('demo-admin', process.env.DEMO_SECRET || keptDemoSecret(process.env.DATA_DIR || './data'));
  const { run, faults, end } = truth.value;
  const now = Date.now();
  try {
    const since = Date.parse(run.simStart) - 60_000;
    const alerts = await fetchAlerts({ apiUrl, key, since });
    // Alerts raised on the wall clock of a replay are newer than its simulated start: one query covers both.
    const incidentRoots = await fetchIncidentRoots({ apiUrl, key, since: since - 86_400_000 });
    const score = scoreAlerts({
      run,
      faults,
      alerts,
      incidentRoots,
      simEnd: end
        ? Date.parse(end.simEnd)
        : Math.min(now, Date.parse(run.simStart) + (now - Date.parse(run.wallStart)) * run.speed),
      wallEnd: end ? Date.parse(end.wallEnd) : now,
    });
    console.log(f.json ? JSON.stringify(score, null, 2) : formatScore(score, run, path));
    return 0;
  } catch (e) {
    if (e instanceof AlertsApiError) {
      console.error(`evaluate: the alerts API is not available: ${e.message}`);
      return 1;
    }
    throw e;
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(`evaluate: ${(e as Error).stack ?? e}`);
    process.exit(1);
  },
);

/** The demo secret `npm start` keeps in its data folder, when there is one. */
function keptDemoSecret(dataDir: string): string | undefined {
  try {
    return readFileSync(join(dataDir, DEMO_SECRET_FILE), 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

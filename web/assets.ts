/** The client bundle (esbuild, in memory) and the stylesheet with uPlot's CSS, built once and served locally. */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export interface Asset {
  body: string;
  type: string;
  etag: string;
}

export type AssetName = 'app.js' | 'app.css' | 'sw.js';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * Built lazily on the first request and kept: an API that never serves a page (tests through
 * `app.request()`, the `api` service behind another front end) never starts esbuild.
 */
export function createAssets(): { get(name: AssetName): Promise<Asset> } {
  const cache = new Map<AssetName, Promise<Asset>>();
  const make = (name: AssetName) =>
    name === 'app.js' ? bundleScript('main.ts') : name === 'sw.js' ? bundleScript('sw.ts') : bundleStyles();
  return {
    get(name) {
      let asset = cache.get(name);
      if (!asset) {
        asset = make(name);
        // A failed build is retried on the next request rather than cached forever.
        void asset.catch(() => cache.delete(name));
        cache.set(name, asset);
      }
      return asset;
    },
  };
}

function asset(body: string, type: string): Asset {
  return { body, type, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"` };
}

async function bundleScript(entry: 'main.ts' | 'sw.ts'): Promise<Asset> {
  const result = await build({
    entryPoints: [here(`./client/${entry}`)],
    bundle: true,
    write: false,
    format: 'iife',
    // Chromium, Firefox and Safari of the last few years; county offices do not all update promptly.
    target: ['es2020'],
    minify: true,
    legalComments: 'none',
    logLevel: 'silent',
  });
  return asset(result.outputFiles[0]!.text, 'text/javascript; charset=utf-8');
}

/** One stylesheet per page family, concatenated after uPlot's: one request, and ours wins on ties. */
const STYLESHEETS = ['base', 'alerts', 'devices', 'coverage', 'notify', 'schematic'];

async function bundleStyles(): Promise<Asset> {
  const require = createRequire(import.meta.url);
  const parts = await Promise.all([
    readFile(require.resolve('uplot/dist/uPlot.min.css'), 'utf8'),
    ...STYLESHEETS.map((name) => readFile(here(`./styles/${name}.css`), 'utf8')),
  ]);
  return asset(parts.join('\n'), 'text/css; charset=utf-8');
}

import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * The operator console's static files (built by tools/dev/console-web.js),
 * read once at boot and served from memory: a handful of small files, so a
 * request never touches the disk and a half-written build cannot be served.
 */
export interface ConsoleAsset {
  readonly body: Buffer;
  readonly contentType: string;
  readonly etag: string;
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

/** Where the built files are: beside the app's source layout, in `console-web/dist` (the same relative place in `dist/`). */
export function defaultConsoleAssetsDir(): string {
  return path.resolve(__dirname, '../../console-web/dist');
}

/**
 * Headers of every console response. The page loads nothing but its own
 * files and talks only to this gateway; it may not be framed (clickjacking
 * the Roll back button) and sends no referrer.
 */
export const CONSOLE_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cache-control': 'no-cache',
};

export class ConsoleAssets {
  private constructor(
    private readonly files: ReadonlyMap<string, ConsoleAsset>,
    /** Why there are no files, when there are none. */
    readonly missing: string | undefined,
  ) {}

  /** Reads every servable file under `dir` (one level of folders: `js/`). A missing build is not an error: /console says how to build it. */
  static load(dir: string): ConsoleAssets {
    if (!existsSync(path.join(dir, 'index.html'))) {
      return new ConsoleAssets(new Map(), `the console is not built (no ${path.join(dir, 'index.html')}); run \`node tools/dev/console-web.js\` or \`npx nx run gateway:build\``);
    }
    const files = new Map<string, ConsoleAsset>();
    const walk = (relative: string) => {
      for (const entry of readdirSync(path.join(dir, relative))) {
        const name = relative ? `${relative}/${entry}` : entry;
        const full = path.join(dir, name);
        if (statSync(full).isDirectory()) {
          if (!relative) walk(name);
          continue;
        }
        const contentType = CONTENT_TYPES[path.extname(entry)];
        if (!contentType) continue;
        const body = readFileSync(full);
        files.set(name, { body, contentType, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"` });
      }
    };
    walk('');
    return new ConsoleAssets(files, undefined);
  }

  /** A file by its path under the console (`index.html`, `js/main.js`); anything else — `..`, unknown types — is simply not found. */
  get(name: string): ConsoleAsset | undefined {
    return this.files.get(name);
  }

  get names(): string[] {
    return [...this.files.keys()].sort();
  }
}

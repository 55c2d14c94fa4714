// The esbuild plugin of every browser build (the package's, the web pages'): a relative
// import inside src/ of X resolves to src/X.browser.ts where that twin exists, so the
// Node-only parts (files, worker threads, the native backend) never reach a browser.
import * as fs from 'fs';
import * as path from 'path';

/** The plugin, for the source folder `src` (an absolute path). */
export function browserTwins(src) {
  return {
    name: 'browser-twins',
    setup(build) {
      build.onResolve({ filter: /^\.\.?\// }, (args) => {
        if (!args.importer.startsWith(src)) return undefined;
        const base = path.resolve(args.resolveDir, args.path);
        if (base.endsWith('.browser')) return undefined;
        const twin = `${base}.browser.ts`;
        return fs.existsSync(twin) ? { path: twin } : undefined;
      });
    },
  };
}

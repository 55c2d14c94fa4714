/**
 * What the code under a command's test prints: console.log's lines in `out`,
 * console.error's lines (and, with `stderr`, process.stderr's writes) in
 * `err`, both emptied before each test, and the real streams back after it.
 * `stdout` also swallows process.stdout's writes (progress bars). Call it at
 * the top of a test file or describe block: it installs the hooks.
 */
export function captureOutput(options: { stderr?: boolean; stdout?: boolean } = {}): { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  beforeEach(() => {
    out.length = 0;
    err.length = 0;
    jest.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.map(String).join(' ')));
    jest.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.map(String).join(' ')));
    if (options.stdout) jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    if (options.stderr) {
      jest.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => {
        err.push(String(s));
        return true;
      });
    }
  });
  afterEach(() => jest.restoreAllMocks());
  return { out, err };
}

/**
 * The command line the bench scripts share: `--name value` options and bare
 * flags, with `--backends` (default: every backend that loads here) and
 * `--steps` read once for all of them. Library output stays quiet.
 */
import { availableBackends, setVerbose } from '../src';

export interface BenchArgs {
  /** The arguments as given. */
  args: string[];
  /** The value after `name`, if given. */
  opt(name: string): string | undefined;
  backends: string[];
  steps: number;
}

export async function benchArgs(defaults: { backends?: string[]; steps?: number } = {}): Promise<BenchArgs> {
  const args = process.argv.slice(2);
  const opt = (k: string) => {
    const i = args.indexOf(k);
    return i >= 0 ? args[i + 1] : undefined;
  };
  setVerbose(false);
  const backends = opt('--backends')?.split(',') ?? defaults.backends ?? (await availableBackends());
  return { args, opt, backends, steps: Number(opt('--steps') ?? defaults.steps ?? 10) };
}

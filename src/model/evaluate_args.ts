/**
 * evaluate's options, checked before any tensor work: tfjs's `evaluate`
 * accepts `sampleWeight` and ignores it (the unweighted loss comes back),
 * so it is refused here until it is computed.
 */
import { RecurrentConfigError, fmtValue } from '../errors';

/** Throws, naming `who`, for an option of evaluate that would be ignored. */
export function checkEvaluateArgs(who: string, args: unknown): void {
  if (args == null) return;
  if (typeof args !== 'object') throw new RecurrentConfigError(`${who}: evaluate's options must be an object, got ${fmtValue(args)}`);
  const { sampleWeight } = args as { sampleWeight?: unknown };
  if (sampleWeight != null) {
    throw new RecurrentConfigError(
      `${who}: evaluate's sampleWeight is not supported (tfjs would ignore it and return the unweighted loss); got ${fmtValue(sampleWeight)}`,
    );
  }
}

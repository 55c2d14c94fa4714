/**
 * Packages only some features need (ONNX and Keras export, the sentiment
 * app's curves): optional peer dependencies, loaded when the feature is used,
 * so that a user who imports a layer neither installs nor loads them.
 */
import { RecurrentConfigError } from './errors';

/**
 * `name`, loaded now; where it is not installed, an error naming `who`, what
 * needs it, and the command that installs it.
 */
export function requireOptional<T>(name: string, who: string, feature: string): T {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(name) as T;
  } catch (e) {
    if ((e as { code?: string }).code !== 'MODULE_NOT_FOUND' || !String((e as Error).message).includes(`'${name}'`)) throw e;
    throw new RecurrentConfigError(`${who}: ${feature} needs the package ${name}, which is not installed here; install it with: npm install ${name}`);
  }
}

/**
 * The one tfjs namespace this package runs on. Re-exported as `tf` from the
 * package root, so a user's tensors and the package's share one engine.
 */
import * as tf from '@tensorflow/tfjs';

export { tf };

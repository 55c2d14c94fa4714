/**
 * The one tfjs namespace this package runs on, in a browser build: the
 * page's own `@tensorflow/tfjs` (a peer dependency), so the user's tensors
 * and the package's share one engine. (tf.ts is the Node twin.)
 */
import * as tf from '@tensorflow/tfjs';
export { tf };

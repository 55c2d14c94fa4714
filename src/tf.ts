/**
 * The one tfjs namespace this package runs on. Re-exported as `tf` from the
 * package root, so a user's tensors and the package's share one engine.
 * (`import = require` takes tfjs's exports object itself: `import * as`
 * would wrap each export in one more getter, called on every `tf.` here.)
 */
export import tf = require('@tensorflow/tfjs');

/**
 * tfjs-recurrent in a browser: the package's API (src/api.ts) on the page's
 * own `@tensorflow/tfjs`, with our kernels loaded by `setBackend` or
 * `loadKernels`. Models save and load through tfjs's handlers
 * (`indexeddb://`, `localstorage://`, `downloads://`, `http(s)://`); what
 * reads or writes files (fileIO, loadModel, Keras and ONNX files,
 * ModelCheckpoint, CSVLogger, the CLI) is in the Node entry (src/index.ts).
 */
export * from './api';

/**
 * tfjs-recurrent: Keras-style recurrent layers for TensorFlow.js, written from
 * first principles on tf ops.
 */
export * from './api';
// Node: files (models, Keras and ONNX exports, training logs and checkpoints).
export { fileIO, loadModel } from './model/io';
export type { FileIOOptions } from './model/io';
export { loadKerasModel, kerasModelFromArtifacts } from './interop/keras/load';
export type { LoadKerasModelOptions } from './interop/keras/load';
export { saveOnnx, toOnnx } from './interop/onnx/save';
export { saveKeras } from './interop/keras/save';
export type { ExportFileOptions } from './interop/write_file';
export { ModelCheckpoint } from './training/model_checkpoint';
export type { ModelCheckpointArgs } from './training/model_checkpoint';
export { CSVLogger } from './training/csv_logger';
export type { CSVLoggerArgs } from './training/csv_logger';

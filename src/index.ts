/**
 * tfjs-recurrent: Keras-style recurrent layers for TensorFlow.js, written from
 * first principles on tf ops.
 */
export { tf } from './tf';
export { setBackend, getBackend, availableBackends, setVerbose } from './backend';
export type { BackendName, SetBackendOptions } from './backend';
export { RecurrentConfigError, RecurrentInputError } from './errors';
export { SimpleRNN } from './layers/simple_rnn';
export type { SimpleRNNArgs } from './layers/simple_rnn';
export { LSTM } from './layers/lstm';
export type { LSTMArgs } from './layers/lstm';
export { GRU } from './layers/gru';
export type { GRUArgs } from './layers/gru';
export { RecurrentLayer } from './layers/rnn';
export type { Shape, Kwargs } from './layers/base';
export type { InitializerSpec, SerializedInitializer, InitializerLike } from './initializers';
export type { RNNLayerArgs } from './layers/rnn';
export { Bidirectional } from './layers/bidirectional';
export type { BidirectionalArgs, MergeMode } from './layers/bidirectional';
export { Embedding } from './layers/embedding';
export type { EmbeddingArgs } from './layers/embedding';
export { Dense } from './layers/dense';
export type { DenseArgs } from './layers/dense';
export { Dropout } from './layers/dropout';
export type { DropoutArgs } from './layers/dropout';
export { GlobalMaxPooling1D, GlobalAveragePooling1D } from './layers/pooling';
export { Sequential } from './model/sequential';
export type { SequentialArgs } from './model/sequential';
export { Functional } from './model/functional';
export { printSummary } from './model/summary';
export type { PrintFn, SummaryModel } from './model/summary';
export { fileIO, loadModel } from './model/io';
export type { FileIOOptions } from './model/io';
export { loadKerasModel, kerasModelFromArtifacts } from './interop/keras';
export type { LoadKerasModelOptions } from './interop/keras';
export { fromTorchStateDict } from './interop/torch';
export type { TorchStateDict, FromTorchOptions } from './interop/torch';
export { Tokenizer, textToWordSequence } from './text/tokenizer';
export type { TokenizerArgs } from './text/tokenizer';
export { padSequences } from './text/pad_sequences';
export type { PadSequencesArgs } from './text/pad_sequences';
export { resetNames } from './naming';
export { withGradientClipping, ClippedOptimizer } from './training/clipping';
export type { ClipArgs } from './training/clipping';
export { ACTIVATION_NAMES } from './activations';

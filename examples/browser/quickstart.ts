import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm'; // registers the wasm backend
import { Sequential, Embedding, LSTM, Dense, setBackend, kernelsInfo } from 'tfjs-recurrent';

setWasmPaths('/tfjs-wasm/'); // where tfjs-backend-wasm's own .wasm files are served
await setBackend('wasm');    // and loads our kernels, inlined in the bundle
const model = new Sequential({ layers: [new Embedding({ inputDim: 1000, outputDim: 16, inputShape: [20] }), new LSTM({ units: 32 }), new Dense({ units: 1, activation: 'sigmoid' })] });
(model.predict(tf.ones([1, 20], 'int32')) as tf.Tensor).print();
console.log(kernelsInfo()); // { loaded: true, source: 'inline:recurrent-relaxed.wasm', build: 'relaxed', threads: 1 or 2, sequences: 1 }

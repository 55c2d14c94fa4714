import { tf, Sequential, Embedding, LSTM, Dense } from 'tfjs-recurrent';

const model = new Sequential();
model.add(new Embedding({ inputDim: 1000, outputDim: 16, maskZero: true }));
model.add(new LSTM({ units: 32 }));
model.add(new Dense({ units: 1, activation: 'sigmoid' }));
model.compile({ optimizer: 'adam', loss: 'binaryCrossentropy', metrics: ['accuracy'] });
model.summary();

const x = tf.randomUniform([64, 20], 1, 1000, 'int32');
const y = tf.randomUniform([64, 1], 0, 2, 'int32').toFloat();
model.fit(x, y, { epochs: 3, batchSize: 16, verbose: 0 }).then(() => (model.predict(x.slice(0, 2)) as tf.Tensor).print());

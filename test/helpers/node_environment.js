/**
 * jest's node environment, with Node's own ArrayBuffer and typed arrays.
 *
 * jest runs each test file in a vm context with its own Float32Array, while
 * a native addon (tfjs-node) returns arrays of Node's main context; tfjs's
 * `instanceof Float32Array` checks then fail ("Unsupported TypedArray
 * subtype: Float32Array" when saving weights), which never happens in a
 * plain Node script (jestjs/jest#2549). Sharing the constructors makes the
 * tests see what users see.
 */
const { TestEnvironment } = require('jest-environment-node');

const SHARED = [
  'ArrayBuffer', 'SharedArrayBuffer', 'DataView', 'Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array',
  'Uint16Array', 'Int32Array', 'Uint32Array', 'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array',
];

class OneRealmEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of SHARED) this.global[name] = globalThis[name];
  }
}

module.exports = OneRealmEnvironment;

/**
 * The parts of the WebAssembly API the kernels use (TypeScript's ES2020 lib
 * does not declare it), the same in Node and in a browser.
 */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

export interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  validate(bytes: Uint8Array): boolean;
  compile(bytes: Uint8Array): Promise<object>;
  Instance: new (module: object, imports: object) => { exports: object };
  Memory: new (descriptor: { initial: number; maximum: number; shared: boolean }) => WasmMemory;
}

/** The runtime's WebAssembly. */
export const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/**
 * Writing an ONNX model: the messages of onnx.proto that an inference graph
 * needs (field numbers as in onnx/onnx.proto of ONNX 1.23, proto2), encoded by
 * protobufjs, and a small builder that names values, holds the weights as
 * initializers and appends nodes in order.
 */
import type * as Protobuf from 'protobufjs';
import { requireOptional } from '../../optional';

/** The subset of onnx.proto (ONNX 1.23) this package writes; field numbers are ONNX's. */
const SCHEMA = `
syntax = "proto2";
package onnx;
message AttributeProto {
  enum AttributeType { UNDEFINED = 0; FLOAT = 1; INT = 2; STRING = 3; TENSOR = 4; GRAPH = 5; FLOATS = 6; INTS = 7; STRINGS = 8; }
  optional string name = 1;
  optional AttributeType type = 20;
  optional float f = 2;
  optional int64 i = 3;
  optional bytes s = 4;
  optional TensorProto t = 5;
  repeated float floats = 7;
  repeated int64 ints = 8;
  repeated bytes strings = 9;
}
message ValueInfoProto { optional string name = 1; optional TypeProto type = 2; optional string doc_string = 3; }
message NodeProto {
  repeated string input = 1;
  repeated string output = 2;
  optional string name = 3;
  optional string op_type = 4;
  optional string domain = 7;
  repeated AttributeProto attribute = 5;
  optional string doc_string = 6;
}
message StringStringEntryProto { optional string key = 1; optional string value = 2; }
message OperatorSetIdProto { optional string domain = 1; optional int64 version = 2; }
message ModelProto {
  optional int64 ir_version = 1;
  repeated OperatorSetIdProto opset_import = 8;
  optional string producer_name = 2;
  optional string producer_version = 3;
  optional string domain = 4;
  optional int64 model_version = 5;
  optional string doc_string = 6;
  optional GraphProto graph = 7;
  repeated StringStringEntryProto metadata_props = 14;
}
message GraphProto {
  repeated NodeProto node = 1;
  optional string name = 2;
  repeated TensorProto initializer = 5;
  optional string doc_string = 10;
  repeated ValueInfoProto input = 11;
  repeated ValueInfoProto output = 12;
  repeated ValueInfoProto value_info = 13;
}
message TensorProto {
  repeated int64 dims = 1;
  optional int32 data_type = 2;
  repeated float float_data = 4 [packed = true];
  repeated int32 int32_data = 5 [packed = true];
  repeated int64 int64_data = 7 [packed = true];
  optional string name = 8;
  optional string doc_string = 12;
  optional bytes raw_data = 9;
}
message TensorShapeProto {
  message Dimension { oneof value { int64 dim_value = 1; string dim_param = 2; } optional string denotation = 3; }
  repeated Dimension dim = 1;
}
message TypeProto {
  message Tensor { optional int32 elem_type = 1; optional TensorShapeProto shape = 2; }
  oneof value { Tensor tensor_type = 1; }
  optional string denotation = 6;
}
`;

/** ONNX's TensorProto.DataType values used here. */
export const DT = { FLOAT: 1, INT32: 6, INT64: 7, BOOL: 9 } as const;
/** AttributeProto.AttributeType values. */
const AT = { FLOAT: 1, INT: 2, STRING: 3, FLOATS: 6, INTS: 7, STRINGS: 8 } as const;

/** opset 18 (ONNX 1.13), IR version 8: ReduceSum/ReduceMax/ReduceMean take their axes as inputs. */
export const OPSET = 18;
export const IR_VERSION = 8;

let root: Protobuf.Root | undefined;
function modelType(): Protobuf.Type {
  root ??= requireOptional<typeof Protobuf>('protobufjs', 'saveOnnx', 'writing ONNX').parse(SCHEMA, { keepCase: true }).root;
  return root.lookupType('onnx.ModelProto');
}

export type AttrValue = number | string | number[] | string[] | { floats: number[] } | { float: number };
interface Node { input: string[]; output: string[]; name: string; op_type: string; attribute: object[] }
interface ValueInfo { name: string; type: object }
/** A dimension: a size, or a name for a size known only at run time (`batch`, `time`). */
export type Dim = number | string;

function attribute(name: string, v: AttrValue): object {
  if (typeof v === 'string') return { name, type: AT.STRING, s: Buffer.from(v, 'utf8') };
  if (typeof v === 'number') return { name, type: AT.INT, i: v };
  if (Array.isArray(v)) {
    if (v.every((x) => typeof x === 'string')) return { name, type: AT.STRINGS, strings: (v as string[]).map((s) => Buffer.from(s, 'utf8')) };
    return { name, type: AT.INTS, ints: v };
  }
  if ('floats' in v) return { name, type: AT.FLOATS, floats: v.floats };
  return { name, type: AT.FLOAT, f: v.float };
}

const valueInfo = (name: string, elemType: number, dims: Dim[]): ValueInfo => ({
  name,
  type: { tensor_type: { elem_type: elemType, shape: { dim: dims.map((d) => (typeof d === 'number' ? { dim_value: d } : { dim_param: d })) } } },
});

/** Builds one ONNX graph: unique value names, weights as initializers, nodes in the order added. */
export class OnnxBuilder {
  private readonly nodes: Node[] = [];
  private readonly initializers: object[] = [];
  private readonly inputs: ValueInfo[] = [];
  private readonly outputs: ValueInfo[] = [];
  private readonly used = new Set<string>();

  /** A value name not used yet: `base`, then `base_1`, `base_2`, ... */
  fresh(base: string): string {
    const clean = base.replace(/[^A-Za-z0-9_./:-]/g, '_');
    let name = clean;
    for (let k = 1; this.used.has(name); k++) name = `${clean}_${k}`;
    this.used.add(name);
    return name;
  }

  input(name: string, elemType: number, dims: Dim[]): string {
    const n = this.fresh(name);
    this.inputs.push(valueInfo(n, elemType, dims));
    return n;
  }

  output(value: string, elemType: number, dims: Dim[]): void {
    this.outputs.push(valueInfo(value, elemType, dims));
  }

  /** A float32 weight (stored as raw little-endian bytes). */
  floats(name: string, dims: number[], data: Float32Array): string {
    const n = this.fresh(name);
    const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    this.initializers.push({ name: n, dims, data_type: DT.FLOAT, raw_data: Buffer.from(bytes) });
    return n;
  }

  /** An int64 constant, e.g. axes or a shape: a 1-D tensor, or a scalar with `scalar`. */
  ints(name: string, values: number[], scalar = false): string {
    const n = this.fresh(name);
    this.initializers.push({ name: n, dims: scalar ? [] : [values.length], data_type: DT.INT64, int64_data: values });
    return n;
  }

  /** An int32 scalar constant. */
  int32(name: string, value: number): string {
    const n = this.fresh(name);
    this.initializers.push({ name: n, dims: [], data_type: DT.INT32, int32_data: [value] });
    return n;
  }

  /** A float32 scalar constant. */
  scalar(name: string, value: number): string {
    return this.floats(name, [], new Float32Array([value]));
  }

  /** Appends a node; returns the names of its `outputs` outputs (`''` inputs are absent optional ones). */
  node(op: string, inputs: string[], attrs: Record<string, AttrValue> = {}, outputs = 1, name = op): string[] {
    const outs = Array.from({ length: outputs }, (_, k) => this.fresh(`${name}${outputs > 1 ? `_out${k}` : ''}`));
    const attribute_ = Object.entries(attrs).map(([k, v]) => attribute(k, v));
    this.nodes.push({ input: inputs, output: outs, name: this.fresh(`${name}_node`), op_type: op, attribute: attribute_ });
    return outs;
  }

  /** One-output node. */
  op(op: string, inputs: string[], attrs: Record<string, AttrValue> = {}, name = op): string {
    return this.node(op, inputs, attrs, 1, name)[0];
  }

  /** The serialized ModelProto. */
  encode(graphName: string, producerVersion: string, docString: string): Uint8Array {
    const Model = modelType();
    const message = Model.fromObject({
      ir_version: IR_VERSION,
      opset_import: [{ domain: '', version: OPSET }],
      producer_name: 'tfjs-recurrent',
      producer_version: producerVersion,
      doc_string: docString,
      graph: { name: graphName, node: this.nodes, initializer: this.initializers, input: this.inputs, output: this.outputs },
    });
    return Model.encode(message).finish();
  }
}

/** Reads a ModelProto back into a plain object (for tests and tools). */
export function decodeOnnx(bytes: Uint8Array): Record<string, unknown> {
  const Model = modelType();
  return Model.toObject(Model.decode(bytes), { longs: Number, bytes: String, defaults: false }) as Record<string, unknown>;
}

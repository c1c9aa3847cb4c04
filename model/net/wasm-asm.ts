// A minimal WebAssembly binary writer: just what the compiled conv kernels need
// (one imported memory, functions of i32 params, i32/i64/v128 locals, loops, SIMD).
// Hand-rolled so the project needs no wat2wasm toolchain at build or run time.

export const T = { i32: 0x7f, i64: 0x7e, v128: 0x7b } as const;

export function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n = Math.floor(n / 128);
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

export function sleb(n: bigint | number): number[] {
  let v = BigInt(n);
  const out: number[] = [];
  for (;;) {
    const b = Number(v & 0x7fn);
    v >>= 7n;
    const done = (v === 0n && (b & 0x40) === 0) || (v === -1n && (b & 0x40) !== 0);
    out.push(done ? b : b | 0x80);
    if (done) return out;
  }
}

const SIMD = (op: number) => [0xfd, ...uleb(op)];

/** Instruction emitter for one function body. */
export class Code {
  readonly b: number[] = [];
  private emit(...xs: number[]): this {
    for (const x of xs) this.b.push(x);
    return this;
  }
  get(i: number) { return this.emit(0x20, ...uleb(i)); }
  set(i: number) { return this.emit(0x21, ...uleb(i)); }
  tee(i: number) { return this.emit(0x22, ...uleb(i)); }
  i32(v: number) { return this.emit(0x41, ...sleb(v)); }
  i64(v: number | bigint) { return this.emit(0x42, ...sleb(v)); }
  i32add() { return this.emit(0x6a); }
  i32sub() { return this.emit(0x6b); }
  i32mul() { return this.emit(0x6c); }
  i32ltS() { return this.emit(0x48); }
  i32ne() { return this.emit(0x47); }
  i64add() { return this.emit(0x7c); }
  i64mul() { return this.emit(0x7e); }
  i64shrS() { return this.emit(0x87); }
  i64ltS() { return this.emit(0x53); }
  i64gtS() { return this.emit(0x55); }
  i64extendI32S() { return this.emit(0xac); }
  i32wrapI64() { return this.emit(0xa7); }
  select() { return this.emit(0x1b); }
  i32store16(offset: number) { return this.emit(0x3b, 1, ...uleb(offset)); }
  i32load(offset: number) { return this.emit(0x28, 2, ...uleb(offset)); }
  i32load16S(offset: number) { return this.emit(0x2e, 1, ...uleb(offset)); }
  i32shl() { return this.emit(0x74); }
  i32shrS() { return this.emit(0x75); }
  i32gtS() { return this.emit(0x4a); }
  block() { return this.emit(0x02, 0x40); }
  loop() { return this.emit(0x03, 0x40); }
  brIf(depth: number) { return this.emit(0x0d, ...uleb(depth)); }
  end() { return this.emit(0x0b); }
  v128load(offset: number) { return this.emit(...SIMD(0x00), 0, ...uleb(offset)); }
  v128const(bytes: Uint8Array) { return this.emit(...SIMD(0x0c), ...bytes); }
  i32x4ExtractLane(l: number) { return this.emit(...SIMD(0x1b), l); }
  i32x4Add() { return this.emit(...SIMD(0xae)); }
  i32x4DotI16x8S() { return this.emit(...SIMD(0xba)); }
}

export interface FuncDef {
  name: string;
  params: number;
  /** Extra locals after the i32 params, in order. */
  locals: number[];
  code: Code;
}

function section(id: number, body: number[]): number[] {
  return [id, ...uleb(body.length), ...body];
}
const vec = (items: number[][]) => [...uleb(items.length), ...items.flat()];
const str = (s: string) => [...uleb(s.length), ...Buffer.from(s, 'utf8')];

/** Module importing env.mem and exporting every function (all: i32 params, no results). */
export function buildModule(funcs: FuncDef[]): Uint8Array<ArrayBuffer> {
  const types = funcs.map((f) => [0x60, ...uleb(f.params), ...Array(f.params).fill(T.i32), 0]);
  const imports = [[...str('env'), ...str('mem'), 0x02, 0x00, 0x00]];
  const fidx = funcs.map((_, i) => uleb(i));
  const exports = funcs.map((f, i) => [...str(f.name), 0x00, ...uleb(i)]);
  const bodies = funcs.map((f) => {
    const groups: number[][] = [];
    for (const t of f.locals) {
      const last = groups[groups.length - 1];
      if (last && last[1] === t) last[0]++;
      else groups.push([1, t]);
    }
    const body = [...uleb(groups.length), ...groups.flatMap(([n, t]) => [...uleb(n), t]), ...f.code.b, 0x0b];
    return [...uleb(body.length), ...body];
  });
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec(types)),
    ...section(2, vec(imports)),
    ...section(3, vec(fidx)),
    ...section(7, vec(exports)),
    ...section(10, vec(bodies)),
  ]);
}

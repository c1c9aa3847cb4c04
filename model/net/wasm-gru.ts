// The per-element GRU arithmetic of docs/fixed-point.md 4.2 as WebAssembly (scalar:
// the LUT lookups are gathers), over the interior cells of the HWC int16 tensors used
// by fixed-wasm.ts. The LUTs sit in memory as i32 tables (index q + 128).
//   rh:     RH = (SIG[PR + 128] * H + 128) >> 8
//   update: H' = sat8(H + ((SIG[PZ + 128] * (TANH[PN + 128] - H) + 128) >> 8)), also copied
//           to the next GRU layer's X slot when there is one.
import { Code, T, type FuncDef } from './wasm-asm.ts';

export interface GruLayout {
  gh: number;
  gw: number;
  hc: number;
  /** Byte addresses of the tensors and the LUTs; channel strides in int16 units. */
  g: number;
  gcp: number;
  hSlot: number;
  rhSlot: number;
  pz: number;
  pr: number;
  pn: number;
  pcp: number;
  next: { at: number; cp: number } | null;
  sig: number;
  tanh: number;
}

const I = 0, J = 1, PG = 2, PP = 3, PN = 4, PX = 5, HV = 6, V = 7;
const LOCALS = [T.i32, T.i32, T.i32, T.i32, T.i32, T.i32, T.i32, T.i32];

/** Row/cell loop around `body`, advancing the cell pointers. */
function cells(L: GruLayout, c: Code, ptrs: [number, number, number][], body: () => void): void {
  const pw = L.gw + 2;
  c.i32(0).set(I);
  c.loop();
  for (const [local, base, cp] of ptrs) c.get(I).i32(pw * cp * 2).i32mul().i32(base + (pw + 1) * cp * 2).i32add().set(local);
  c.i32(L.gw).set(J);
  c.loop();
  body();
  for (const [local, , cp] of ptrs) c.get(local).i32(cp * 2).i32add().set(local);
  c.get(J).i32(1).i32sub().tee(J).i32(0).i32ne().brIf(0);
  c.end();
  c.get(I).i32(1).i32add().tee(I).i32(L.gh).i32ltS().brIf(0);
  c.end();
}

/** LUT[value at (ptr + off) + 128] onto the stack. */
function lut(c: Code, table: number, ptr: number, off: number): void {
  c.get(ptr).i32load16S(off).i32(128).i32add().i32(2).i32shl().i32load(table);
}

export function gruRhFunc(name: string, L: GruLayout): FuncDef {
  const c = new Code();
  cells(L, c, [[PG, L.g, L.gcp], [PP, L.pr, L.pcp]], () => {
    for (let ch = 0; ch < L.hc; ch++) {
      c.get(PG);
      lut(c, L.sig, PP, ch * 2);
      c.get(PG).i32load16S((L.hSlot + ch) * 2).i32mul().i32(128).i32add().i32(8).i32shrS();
      c.i32store16((L.rhSlot + ch) * 2);
    }
  });
  return { name, params: 0, locals: LOCALS, code: c };
}

export function gruUpdateFunc(name: string, L: GruLayout): FuncDef {
  const c = new Code();
  const ptrs: [number, number, number][] = [[PG, L.g, L.gcp], [PP, L.pz, L.pcp], [PN, L.pn, L.pcp]];
  if (L.next) ptrs.push([PX, L.next.at, L.next.cp]);
  cells(L, c, ptrs, () => {
    for (let ch = 0; ch < L.hc; ch++) {
      c.get(PG).i32load16S((L.hSlot + ch) * 2).set(HV);
      // v = H + ((SIG[PZ+128] * (TANH[PN+128] - H) + 128) >> 8)
      c.get(HV);
      lut(c, L.sig, PP, ch * 2);
      lut(c, L.tanh, PN, ch * 2);
      c.get(HV).i32sub().i32mul().i32(128).i32add().i32(8).i32shrS().i32add().set(V);
      c.i32(-128).get(V).get(V).i32(-128).i32ltS().select().set(V);
      c.i32(127).get(V).get(V).i32(127).i32gtS().select().set(V);
      c.get(PG).get(V).i32store16((L.hSlot + ch) * 2);
      if (L.next) c.get(PX).get(V).i32store16(ch * 2);
    }
  });
  return { name, params: 0, locals: LOCALS, code: c };
}

// Behavioural reference model of the generated AXI4-Lite register file (README.md): what each
// AXI write/read returns and how registers change, transaction by transaction.
import { fieldMask, validateRegFileSpec, type RegFileSpec, type RegisterSpec } from './spec.ts';

export const RESP_OKAY = 0;
export const RESP_SLVERR = 2;
export const RESP_DECERR = 3;

/** Bit mask of the bytes enabled by a 4-bit AXI write strobe. */
export function strobeMask(strb: number): number {
  let m = 0;
  for (let b = 0; b < 4; b++) if (strb & (1 << b)) m |= 0xff << (8 * b);
  return m >>> 0;
}

export class RegFileModel {
  readonly spec: RegFileSpec;
  /** Stored value per register name (RW, W1C, WO). */
  readonly stored = new Map<string, number>();
  /** Values the hardware drives on RO fields, in register position. */
  readonly hwInputs = new Map<string, number>();
  /** WO registers written by the last transaction (their _wstb pulses). */
  lastStrobes: string[] = [];

  constructor(spec: RegFileSpec) {
    this.spec = validateRegFileSpec(spec);
    for (const r of this.spec.registers) {
      let v = 0;
      for (const f of r.fields) if (r.access !== 'RO') v = (v | (((f.reset ?? 0) * 2 ** f.lsb) >>> 0)) >>> 0;
      this.stored.set(r.name, v >>> 0);
    }
  }

  private find(addr: number): RegisterSpec | undefined {
    return this.spec.registers.find((r) => r.offset === (addr & ~3 & (2 ** this.spec.addrBits - 1)));
  }

  private implemented(r: RegisterSpec): number {
    return r.fields.reduce((m, f) => (m | fieldMask(f)) >>> 0, 0);
  }

  write(addr: number, data: number, strb = 0xf): number {
    this.lastStrobes = [];
    const r = this.find(addr);
    if (!r) return RESP_DECERR;
    const bm = (strobeMask(strb) & this.implemented(r)) >>> 0;
    const old = this.stored.get(r.name)!;
    switch (r.access) {
      case 'RO':
        return RESP_SLVERR;
      case 'RW':
        this.stored.set(r.name, ((old & ~bm) | (data & bm)) >>> 0);
        return RESP_OKAY;
      case 'WO':
        this.stored.set(r.name, ((old & ~bm) | (data & bm)) >>> 0);
        this.lastStrobes = [r.name];
        return RESP_OKAY;
      case 'W1C':
        this.stored.set(r.name, (old & ~(data & bm)) >>> 0);
        return RESP_OKAY;
    }
  }

  read(addr: number): { data: number; resp: number } {
    const r = this.find(addr);
    if (!r) return { data: 0, resp: RESP_DECERR };
    const impl = this.implemented(r);
    switch (r.access) {
      case 'RO':
        return { data: ((this.hwInputs.get(r.name) ?? 0) & impl) >>> 0, resp: RESP_OKAY };
      case 'WO':
        return { data: 0, resp: RESP_OKAY };
      default:
        return { data: this.stored.get(r.name)! >>> 0, resp: RESP_OKAY };
    }
  }

  /** Hardware sets sticky W1C bits (value in register position). */
  hwSet(name: string, bits: number): void {
    const r = this.spec.registers.find((x) => x.name === name);
    if (!r || r.access !== 'W1C') throw new RangeError(`regfile model: '${name}' is not a W1C register`);
    this.stored.set(name, (this.stored.get(name)! | (bits & this.implemented(r))) >>> 0);
  }
}

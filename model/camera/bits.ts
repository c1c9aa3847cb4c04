// MSB-first bit packing: the first bit written is bit 7 of byte 0. A reader walks a
// chain of byte segments as one bit sequence (a codestream split across frame regions)
// and throws a typed error instead of reading past the end.
import { CameraError, CE } from './errors.ts';

export class BitWriter {
  private buf = new Uint8Array(1024);
  /** Bits written so far. */
  bits = 0;

  write(value: number, n: number): void {
    for (let i = n - 1; i >= 0; i--) this.bit((value >>> i) & 1);
  }

  bit(b: number): void {
    const byte = this.bits >>> 3;
    if (byte >= this.buf.length) {
      const nb = new Uint8Array(this.buf.length * 2);
      nb.set(this.buf);
      this.buf = nb;
    }
    if (b) this.buf[byte] |= 0x80 >>> (this.bits & 7);
    this.bits++;
  }

  /** The bytes written, zero-padded to a whole byte. */
  bytes(): Uint8Array {
    return this.buf.slice(0, (this.bits + 7) >>> 3);
  }

  /** Bits [from, to) as a new writer-independent bit string (for moving data between regions). */
  slice(from: number, to: number): Uint8Array {
    const out = new Uint8Array((to - from + 7) >>> 3);
    for (let i = from; i < to; i++) if ((this.buf[i >>> 3] >>> (7 - (i & 7))) & 1) out[(i - from) >>> 3] |= 0x80 >>> ((i - from) & 7);
    return out;
  }
}

export interface BitSegment {
  bytes: Uint8Array;
  /** First bit (absolute within `bytes`) and one past the last. */
  start: number;
  end: number;
}

export class BitReader {
  private seg = 0;
  private pos: number;
  /** Bits consumed so far across all segments. */
  consumed = 0;

  constructor(
    private readonly segments: BitSegment[],
    private readonly what: string,
  ) {
    this.pos = segments.length ? segments[0].start : 0;
  }

  bit(): number {
    while (this.seg < this.segments.length && this.pos >= this.segments[this.seg].end) {
      this.seg++;
      if (this.seg < this.segments.length) this.pos = this.segments[this.seg].start;
    }
    if (this.seg >= this.segments.length) throw new CameraError(CE.TRUNCATED, `${this.what}: codestream ends after ${this.consumed} bits, more data expected`);
    const s = this.segments[this.seg];
    const b = (s.bytes[this.pos >>> 3] >>> (7 - (this.pos & 7))) & 1;
    this.pos++;
    this.consumed++;
    return b;
  }

  read(n: number): number {
    let v = 0;
    for (let i = 0; i < n; i++) v = v * 2 + this.bit();
    return v;
  }

  skip(n: number): void {
    for (let i = 0; i < n; i++) this.bit();
  }
}

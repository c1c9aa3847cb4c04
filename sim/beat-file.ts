// Binary beat files exchanged with the C++ harness: little-endian 32-bit words.
// Input beat:  data words, user words, flags (bit 0 = tlast).
// Output beat: cycle (lo, hi), data words, user words, flags.
import { SimInputError } from './errors.ts';
import type { Beat, BeatIn, StreamSpec, TimedBeat } from './types.ts';

export const wordsOf = (width: number) => Math.ceil(width / 32);

/** Converts a number/bigint/boolean to a bigint that fits `width` bits, or throws naming `what`. */
export function toBits(v: bigint | number | boolean, width: number, what: string): bigint {
  let b: bigint;
  if (typeof v === 'boolean') b = v ? 1n : 0n;
  else if (typeof v === 'number') {
    if (!Number.isSafeInteger(v)) throw new SimInputError(`${what}: ${v} is not a safe integer (use a bigint)`);
    b = BigInt(v);
  } else b = v;
  if (b < 0n || b >> BigInt(width) !== 0n) throw new SimInputError(`${what}: value 0x${b.toString(16)} does not fit in ${width} bits`);
  return b;
}

export function putWords(dst: Uint32Array, at: number, v: bigint, words: number): void {
  for (let i = 0; i < words; i++) {
    dst[at + i] = Number(v & 0xffffffffn);
    v >>= 32n;
  }
}

export function getWords(src: Uint32Array, at: number, words: number): bigint {
  // Values below 2^53 go through one exact double (much faster than BigInt shifts).
  if (words === 1) return BigInt(src[at]);
  if (words === 2 && src[at + 1] < 0x200000) return BigInt(src[at] + src[at + 1] * 0x100000000);
  let v = 0n;
  for (let i = words - 1; i >= 0; i--) v = (v << 32n) | BigInt(src[at + i]);
  return v;
}

export function encodeInputBeats(stream: StreamSpec, beats: BeatIn[]): Buffer {
  const dw = wordsOf(stream.dataWidth);
  const uw = stream.userWidth ? wordsOf(stream.userWidth) : 0;
  const stride = dw + uw + 1;
  const buf = new Uint32Array(beats.length * stride);
  beats.forEach((b, i) => {
    const at = i * stride;
    const d = b.data;
    // Fast path for small numeric data (pixels): no BigInt round trip.
    if (typeof d === 'number' && stream.dataWidth <= 32 && Number.isInteger(d) && d >= 0 && d < 2 ** stream.dataWidth) buf[at] = d;
    else putWords(buf, at, toBits(d, stream.dataWidth, `${stream.name} beat ${i} tdata`), dw);
    if (b.user !== undefined && b.user !== 0 && b.user !== 0n && b.user !== false && !stream.userWidth)
      throw new SimInputError(`${stream.name} beat ${i} sets tuser but the stream has no ${stream.name}_tuser port`);
    if (uw) putWords(buf, at + dw, toBits(b.user ?? 0n, stream.userWidth, `${stream.name} beat ${i} tuser`), uw);
    if (b.last && !stream.hasLast) throw new SimInputError(`${stream.name} beat ${i} sets tlast but the stream has no ${stream.name}_tlast port`);
    buf[at + stride - 1] = b.last ? 1 : 0;
  });
  return Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
}

export function decodeOutputBeats(stream: Pick<StreamSpec, 'dataWidth' | 'userWidth'>, bytes: Buffer): TimedBeat[] {
  const dw = wordsOf(stream.dataWidth);
  const uw = stream.userWidth ? wordsOf(stream.userWidth) : 0;
  const stride = 2 + dw + uw + 1;
  const words = new Uint32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const out: TimedBeat[] = [];
  for (let at = 0; at + stride <= words.length; at += stride) {
    out.push({
      cycle: words[at] + words[at + 1] * 2 ** 32,
      data: getWords(words, at + 2, dw),
      user: uw ? getWords(words, at + 2 + dw, uw) : 0n,
      last: (words[at + stride - 1] & 1) !== 0,
    });
  }
  return out;
}

/** Drops cycle stamps, e.g. to compare against a reference model's beats. */
export function stripCycles(beats: TimedBeat[]): Beat[] {
  return beats.map(({ data, last, user }) => ({ data, last, user }));
}

// Reference of cam_vlc built on the golden coder: model/camera/codec.ts encodeGroup into one
// model/camera/bits.ts BitWriter for the whole run (the model's continuous codestream), cut into
// wordBits-bit words MSB first; tlast on the word holding a frame's last bit; with flush, zero
// bits up to the next word boundary after each frame. The SOF context of a frame is where its
// first bit lies: word index and bit offset (the "bits to discard" of that word), and its k.
import { BitReader, BitWriter } from '../../../model/camera/bits.ts';
import { decodeGroups, encodeGroup } from '../../../model/camera/codec.ts';
import { packLanes } from '../bits.ts';
import type { CamVlcConfig } from './index.ts';

export interface GroupBeat {
  /** Four quantized values in scan order (lane 0 first). */
  values: readonly number[];
  last: boolean;
  user: boolean;
}

export interface SofCtx {
  word: number;
  offset: number;
  k: number;
}

export const packCtx = (c: SofCtx, wordBits: number): bigint =>
  (BigInt(c.k) << BigInt(32 + Math.log2(wordBits))) | (BigInt(c.offset) << 32n) | BigInt(c.word >>> 0);

export function unpackCtx(x: bigint, wordBits: number): SofCtx {
  const ob = BigInt(Math.log2(wordBits));
  return { word: Number(x & 0xffffffffn), offset: Number((x >> 32n) & ((1n << ob) - 1n)), k: Number(x >> (32n + ob)) };
}

/** Group beats of a scan (4 values each), tuser on the first group, tlast on the last. */
export function scanGroups(scan: Int32Array): GroupBeat[] {
  const n = scan.length / 4;
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`scan of ${scan.length} values is not a whole number (>= 1) of groups of four`);
  return Array.from({ length: n }, (_, g) => ({ values: [...scan.subarray(4 * g, 4 * g + 4)], last: g === n - 1, user: g === 0 }));
}

export const groupData = (b: GroupBeat, coefBits: number): bigint => packLanes(b.values, coefBits);

export interface VlcOut {
  words: { data: bigint; last: boolean }[];
  ctx: SofCtx[];
  /** Bits coded, including flush padding. */
  bits: number;
}

export function camVlcModel(p: Pick<CamVlcConfig, 'wordBits'>, groups: readonly GroupBeat[], k: number, flush: boolean): VlcOut {
  const WB = p.wordBits;
  const w = new BitWriter();
  const ctx: SofCtx[] = [];
  const lastWords = new Set<number>();
  const vals = new Int32Array(4);
  for (const gb of groups) {
    if (gb.user) ctx.push({ word: Math.floor(w.bits / WB), offset: w.bits % WB, k });
    vals.set(gb.values);
    encodeGroup(w, vals, 0, k);
    if (gb.last) {
      lastWords.add(Math.floor((w.bits - 1) / WB));
      if (flush) while (w.bits % WB) w.bit(0);
    }
  }
  const bytes = w.bytes();
  const nw = Math.floor(w.bits / WB), wb = WB / 8;
  const words = Array.from({ length: nw }, (_, i) => {
    let d = 0n;
    for (let j = 0; j < wb; j++) d = (d << 8n) | BigInt(bytes[i * wb + j]);
    return { data: d, last: lastWords.has(i) };
  });
  return { words, ctx, bits: w.bits };
}

/** Codestream words (MSB first) back to bytes. */
export function wordsToBytes(words: readonly bigint[], wordBits: number): Uint8Array {
  const wb = wordBits / 8;
  const out = new Uint8Array(words.length * wb);
  words.forEach((d, i) => {
    for (let j = 0; j < wb; j++) out[i * wb + j] = Number((d >> BigInt(8 * (wb - 1 - j))) & 0xffn);
  });
  return out;
}

/** Decode one frame of `groups` groups from codestream words with the golden decoder, starting at its SOF context. */
export function decodeFrameFromWords(words: readonly bigint[], wordBits: number, c: SofCtx, groups: number, maxN: number): Int32Array {
  const bytes = wordsToBytes(words, wordBits);
  const r = new BitReader([{ bytes, start: c.word * wordBits, end: bytes.length * 8 }], 'cam_vlc codestream');
  r.skip(c.offset);
  const out = new Int32Array(4 * groups);
  decodeGroups(r, groups, c.k, maxN, 'cam_vlc codestream', out);
  return out;
}

/**
 * A continuous codestream (flush = 0) of whole frames, closed like a recording's end: the last
 * frame's open word leaves zero-padded (cam_vlc emits whole words only, so without it the last
 * frame would end in a word that never comes). tlast as camVlcModel sets it.
 */
export function closedContinuousWords(groups: readonly GroupBeat[], k: number, wordBits: 32 | 64 | 128): { data: bigint; last: boolean }[] {
  const cont = camVlcModel({ wordBits }, groups, k, false).words;
  const one = groups.map((g, i) => ({ ...g, user: i === 0, last: i === groups.length - 1 }));
  const padded = camVlcModel({ wordBits }, one, k, true).words;
  return padded.map((w, i) => ({ data: w.data, last: i === padded.length - 1 || (cont[i]?.last ?? false) }));
}

// A continuous stream of frames as the capture pipeline leaves it in RAM, and the
// start-of-frame (SOF) context that lets any one frame be decoded alone (seed 003).
//
// Each codestream is one unbroken bit sequence across frames (the pipeline is never
// flushed). The encoder packs bits into a 128-bit e_buffer, hands 64-bit halves to a
// FIFO (64-bit write, 128-bit read), and the AXI master commits 128-bit words to RAM in
// bursts of `burstWords`. At the SOF of frame N (the sensor's frame overhead time):
//   - frame N-1's last `latencyGroups` groups are still in the DWT/quantizer pipeline
//     (not yet coded);
//   - the bits coded but not committed are e_buffer_idx + 128*fifo_rd_count +
//     64*fifo_wr_count[0] ("bits to discard");
//   - software moves the codestream's write pointer to the next sector-aligned word
//     A_N; the committed end of frame N-1's region is E_{N-1}.
// So region N (from A_N up to E_N) starts with the tail of frame N-1. A decoder of
// frame N reads regions N, N+1, ... as one bit sequence, discards the bits to
// discard, decodes and drops `skipGroups` groups (frame N-1's pipeline tail), then
// decodes frame N. Region N+1 begins with frame N's own tail, which is why the chain
// goes on past region N.
//
// Container (all integers big-endian, sectors of 512 bytes, words of 16 bytes):
//   sector 0: file header   'SCAM' u16 version=1 u8 mode(0 full,1 sub) u8 0
//                           u16 width u16 height u32 frames u8 codestreams=7 u8 burstWords
//                           u16 sectorBytes; at 32+32c per codestream c (BANDS order):
//                           u32 mult u32 latencyGroups u32 areaSector u32 areaWords
//                           ... u32 CRC-32 of bytes 0..507 at 508
//   sectors 1..F+1: frame headers 'SFRM' u32 frame u32 flags(1 = end marker)
//                           at 16+32c: u32 startWord A_N u32 prevEndWord E_{N-1}
//                           u32 e_buffer_idx u32 fifo_rd_count u32 fifo_wr_count
//                           u32 skipGroups u32 k u32 prevK; CRC-32 at 508
//   then each codestream's area (sector-aligned), word addresses relative to it.
import { crc32 } from 'node:zlib';
import { BitReader, BitWriter, type BitSegment } from './bits.ts';
import { BANDS, type BandName } from './dwt.ts';
import { CameraError, CE } from './errors.ts';
import { checkMult, decodeGroups, encodeGroups, maxGroupBits, scanLength, type BandParams, type FrameScans } from './codec.ts';
import type { BayerMode } from './bayer.ts';

export const SECTOR_BYTES = 512;
export const WORD_BYTES = 16;
export const SECTOR_WORDS = SECTOR_BYTES / WORD_BYTES;
const FILE_MAGIC = 0x5343414d; // 'SCAM'
const FRAME_MAGIC = 0x5346524d; // 'SFRM'
const VERSION = 1;

export interface StreamParams {
  mode: BayerMode;
  width: number;
  height: number;
  mults: BandParams;
  latencyGroups: BandParams;
  burstWords: number;
}

export interface SofContext {
  startWord: number;
  prevEndWord: number;
  eBufferIdx: number;
  fifoRdCount: number;
  fifoWrCount: number;
  skipGroups: number;
  k: number;
  /** k of the previous frame, to decode its pipeline tail. */
  prevK: number;
}

export const bitsToDiscard = (s: SofContext): number => s.eBufferIdx + 128 * s.fifoRdCount + 64 * (s.fifoWrCount & 1);

/** Default pipeline latency: two subband rows (all four fields) of stage 1, one of stage 2. */
export function defaultLatency(width: number, height: number): BandParams {
  const out = {} as BandParams;
  for (const b of BANDS) {
    const bw = width >> (b.endsWith('2') ? 3 : 2);
    out[b] = (b.endsWith('2') ? 1 : 2) * bw; // 4 fields x bw values / 4 per group
  }
  void height;
  return out;
}

interface CsState {
  w: BitWriter;
  /** Groups queued (not yet coded): [scan, from, to, k]. */
  queue: [Int32Array, number, number, number][];
  committedWords: number;
  memWords: number;
  mem: Uint8Array[];
}

export class StreamEncoder {
  private cs: Record<BandName, CsState>;
  private headers: { flags: number; ctx: Record<BandName, SofContext> }[] = [];
  private frames = 0;
  private lastK: BandParams | undefined;

  constructor(readonly p: StreamParams) {
    for (const b of BANDS) checkMult(p.mults[b], `subband ${b}`);
    if (!Number.isInteger(p.burstWords) || p.burstWords < 1 || p.burstWords > 255) throw new CameraError(CE.PARAM, `burst length must be 1..255 words, got ${p.burstWords}`);
    this.cs = {} as Record<BandName, CsState>;
    for (const b of BANDS) this.cs[b] = { w: new BitWriter(), queue: [], committedWords: 0, memWords: 0, mem: [] };
  }

  /** Code every queued group except the last `keep` ones. */
  private drain(b: BandName, keep: number): void {
    const s = this.cs[b];
    let total = s.queue.reduce((a, q) => a + q[2] - q[1], 0);
    while (total > keep) {
      const q = s.queue[0];
      const n = Math.min(q[2] - q[1], total - keep);
      encodeGroups(s.w, q[0], q[1], q[1] + n, q[3]);
      q[1] += n;
      total -= n;
      if (q[1] === q[2]) s.queue.shift();
    }
  }

  /** Commit whole bursts coded so far; returns the committed end word of the current region. */
  private commit(b: BandName, all: boolean): void {
    const s = this.cs[b];
    const burstBits = 128 * this.p.burstWords;
    const bits = all ? Math.ceil(s.w.bits / 128) * 128 : Math.floor(s.w.bits / burstBits) * burstBits;
    const words = bits / 128;
    if (words > s.committedWords) {
      s.mem.push(s.w.slice(s.committedWords * 128, words * 128));
      s.memWords += words - s.committedWords;
      s.committedWords = words;
    }
  }

  private sof(flags: number, k: BandParams | undefined): void {
    const ctx = {} as Record<BandName, SofContext>;
    for (const b of BANDS) {
      const s = this.cs[b];
      this.commit(b, flags === 1);
      const prevEnd = s.memWords;
      const start = this.frames === 0 ? 0 : Math.ceil(prevEnd / SECTOR_WORDS) * SECTOR_WORDS;
      if (start > prevEnd) s.mem.push(new Uint8Array((start - prevEnd) * WORD_BYTES));
      s.memWords = start;
      const inflight = s.w.bits - s.committedWords * 128;
      const halves = Math.floor(s.w.bits / 64) - 2 * s.committedWords;
      ctx[b] = {
        startWord: start,
        prevEndWord: this.frames === 0 ? 0 : prevEnd,
        eBufferIdx: s.w.bits % 64,
        fifoRdCount: halves >> 1,
        fifoWrCount: halves,
        skipGroups: flags === 1 || this.frames === 0 ? 0 : this.p.latencyGroups[b],
        k: k ? k[b] : 0,
        prevK: this.lastK ? this.lastK[b] : 0,
      };
      if (bitsToDiscard(ctx[b]) !== inflight) throw new Error(`internal: SOF bit accounting for ${b}`);
    }
    this.headers.push({ flags, ctx });
    this.lastK = k;
  }

  addFrame(f: FrameScans, k: BandParams): void {
    for (const b of BANDS) {
      const expect = scanLength(b, this.p.width >> 1, this.p.height >> 1);
      if (f.scans[b].length !== expect) throw new CameraError(CE.SIZE, `frame ${this.frames}: codestream ${b} has ${f.scans[b].length} values, the stream's ${this.p.width}x${this.p.height} mosaic needs ${expect}`);
      if (!Number.isInteger(k[b]) || k[b] < 0 || k[b] > 15) throw new CameraError(CE.PARAM, `k for ${b} must be 0..15, got ${k[b]}`);
    }
    for (const b of BANDS) this.drain(b, this.frames === 0 ? 0 : Math.min(this.p.latencyGroups[b], f.scans[b].length / 4));
    this.sof(0, k);
    for (const b of BANDS) this.cs[b].queue.push([f.scans[b], 0, f.scans[b].length / 4, k[b]]);
    this.frames++;
  }

  /** Flush the pipeline and return the container bytes. */
  finish(): Uint8Array {
    if (this.frames === 0) throw new CameraError(CE.PARAM, 'no frames to write');
    for (const b of BANDS) this.drain(b, 0);
    this.sof(1, undefined);
    const nHead = 1 + this.headers.length;
    const areas = {} as Record<BandName, { sector: number; words: number }>;
    let sector = nHead;
    for (const b of BANDS) {
      const words = this.cs[b].memWords;
      areas[b] = { sector, words };
      sector += Math.ceil(words / SECTOR_WORDS) || 0;
    }
    const out = new Uint8Array(sector * SECTOR_BYTES);
    const dv = new DataView(out.buffer);
    dv.setUint32(0, FILE_MAGIC);
    dv.setUint16(4, VERSION);
    dv.setUint8(6, this.p.mode === 'full' ? 0 : 1);
    dv.setUint16(8, this.p.width);
    dv.setUint16(10, this.p.height);
    dv.setUint32(12, this.frames);
    dv.setUint8(16, BANDS.length);
    dv.setUint8(17, this.p.burstWords);
    dv.setUint16(18, SECTOR_BYTES);
    BANDS.forEach((b, c) => {
      const o = 32 + 32 * c;
      dv.setUint32(o, this.p.mults[b]);
      dv.setUint32(o + 4, this.p.latencyGroups[b]);
      dv.setUint32(o + 8, areas[b].sector);
      dv.setUint32(o + 12, areas[b].words);
    });
    dv.setUint32(508, crc32(out.subarray(0, 508)));
    this.headers.forEach((h, i) => {
      const base = (1 + i) * SECTOR_BYTES;
      dv.setUint32(base, FRAME_MAGIC);
      dv.setUint32(base + 4, i);
      dv.setUint32(base + 8, h.flags);
      BANDS.forEach((b, c) => {
        const o = base + 16 + 32 * c;
        const x = h.ctx[b];
        [x.startWord, x.prevEndWord, x.eBufferIdx, x.fifoRdCount, x.fifoWrCount, x.skipGroups, x.k, x.prevK].forEach((v, j) => dv.setUint32(o + 4 * j, v));
      });
      dv.setUint32(base + 508, crc32(out.subarray(base, base + 508)));
    });
    for (const b of BANDS) {
      let at = areas[b].sector * SECTOR_BYTES;
      for (const chunk of this.cs[b].mem) {
        out.set(chunk, at);
        at += chunk.length;
      }
    }
    return out;
  }
}

export interface StreamInfo extends StreamParams {
  frames: number;
  areas: Record<BandName, { sector: number; words: number }>;
}

function sectorView(bytes: Uint8Array, sector: number, what: string): DataView {
  const o = sector * SECTOR_BYTES;
  if (o + SECTOR_BYTES > bytes.length) throw new CameraError(CE.TRUNCATED, `${what}: container ends at byte ${bytes.length}, sector ${sector} (bytes ${o}..${o + SECTOR_BYTES - 1}) is missing`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset + o, SECTOR_BYTES);
  if (dv.getUint32(508) !== crc32(bytes.subarray(o, o + 508))) throw new CameraError(CE.CORRUPT, `${what}: sector ${sector} fails its CRC-32 check`);
  return dv;
}

export function readStreamInfo(bytes: Uint8Array, what = 'camera stream'): StreamInfo {
  if (bytes.length < 4 || new DataView(bytes.buffer, bytes.byteOffset).getUint32(0) !== FILE_MAGIC) throw new CameraError(CE.CORRUPT, `${what}: not a camera stream (magic 'SCAM' missing)`);
  const dv = sectorView(bytes, 0, what);
  if (dv.getUint16(4) !== VERSION) throw new CameraError(CE.CORRUPT, `${what}: version ${dv.getUint16(4)}, this decoder reads ${VERSION}`);
  if (dv.getUint8(16) !== BANDS.length) throw new CameraError(CE.CORRUPT, `${what}: ${dv.getUint8(16)} codestreams, expected ${BANDS.length}`);
  const mults = {} as BandParams, latencyGroups = {} as BandParams;
  const areas = {} as StreamInfo['areas'];
  BANDS.forEach((b, c) => {
    const o = 32 + 32 * c;
    mults[b] = dv.getUint32(o);
    latencyGroups[b] = dv.getUint32(o + 4);
    areas[b] = { sector: dv.getUint32(o + 8), words: dv.getUint32(o + 12) };
    checkMult(mults[b], `${what}: codestream ${b}`);
  });
  const info: StreamInfo = {
    mode: dv.getUint8(6) === 0 ? 'full' : 'subsampled',
    width: dv.getUint16(8),
    height: dv.getUint16(10),
    frames: dv.getUint32(12),
    burstWords: dv.getUint8(17),
    mults,
    latencyGroups,
    areas,
  };
  return info;
}

export function readSof(bytes: Uint8Array, frame: number, info: StreamInfo, what: string): { flags: number; ctx: Record<BandName, SofContext> } {
  const dv = sectorView(bytes, 1 + frame, `${what} header ${frame}`);
  if (dv.getUint32(0) !== FRAME_MAGIC || dv.getUint32(4) !== frame) throw new CameraError(CE.CORRUPT, `${what}: frame header ${frame} has a bad magic or frame number`);
  const flags = dv.getUint32(8);
  if (flags !== (frame === info.frames ? 1 : 0)) throw new CameraError(CE.CORRUPT, `${what}: frame header ${frame} has flags ${flags}`);
  const ctx = {} as Record<BandName, SofContext>;
  BANDS.forEach((b, c) => {
    const o = 16 + 32 * c;
    const v = (j: number) => dv.getUint32(o + 4 * j);
    ctx[b] = { startWord: v(0), prevEndWord: v(1), eBufferIdx: v(2), fifoRdCount: v(3), fifoWrCount: v(4), skipGroups: v(5), k: v(6), prevK: v(7) };
    if (ctx[b].k > 15 || ctx[b].prevK > 15) throw new CameraError(CE.CORRUPT, `${what}: frame header ${frame} codestream ${b} has k=${ctx[b].k} (> 15)`);
  });
  return { flags, ctx };
}

/**
 * Decode frame `n` of a container alone: its seven quantized scans. Uses headers n..end
 * (region ends live in the next header) and checks that frame n ends exactly where the
 * next SOF context says, so corrupt data is reported rather than silently misdecoded.
 */
export function decodeStreamFrame(bytes: Uint8Array, n: number, info = readStreamInfo(bytes)): FrameScans {
  const what = `camera stream frame ${n}`;
  if (!Number.isInteger(n) || n < 0 || n >= info.frames) throw new CameraError(CE.PARAM, `frame ${n} does not exist (the stream holds ${info.frames})`);
  const heads = [];
  for (let j = n; j <= info.frames; j++) heads.push(readSof(bytes, j, info, 'camera stream'));
  const fw = info.width >> 1, fh = info.height >> 1;
  const scans = {} as Record<BandName, Int32Array>;
  for (const b of BANDS) {
    const area = info.areas[b];
    const base = area.sector * SECTOR_BYTES * 8;
    const segs: BitSegment[] = [];
    for (let j = 0; j + 1 < heads.length; j++) {
      const a = heads[j].ctx[b].startWord, e = heads[j + 1].ctx[b].prevEndWord;
      if (e < a || e > area.words) throw new CameraError(CE.CORRUPT, `${what}: codestream ${b} region ${n + j} spans words ${a}..${e}, outside the area of ${area.words} words`);
      const end = Math.min(base + e * 128, bytes.length * 8);
      segs.push({ bytes, start: Math.min(base + a * 128, end), end });
    }
    const r = new BitReader(segs, `${what} codestream ${b}`);
    const h0 = heads[0].ctx[b], h1 = heads[1].ctx[b];
    r.skip(bitsToDiscard(h0));
    const maxN = maxGroupBits(b);
    decodeGroups(r, h0.skipGroups, h0.prevK, maxN, `${what} codestream ${b} (previous frame tail)`);
    const total = scanLength(b, fw, fh) / 4;
    const out = new Int32Array(total * 4);
    const tailGroups = heads[1].flags === 1 ? 0 : h1.skipGroups;
    if (tailGroups > total) throw new CameraError(CE.CORRUPT, `${what}: codestream ${b} pipeline tail of ${tailGroups} groups exceeds the frame's ${total}`);
    decodeGroups(r, total - tailGroups, h0.k, maxN, `${what} codestream ${b}`, out.subarray(0, (total - tailGroups) * 4));
    const regionBits = (segs[0].end - segs[0].start);
    if (heads[1].flags !== 1 && r.consumed !== regionBits + bitsToDiscard(h1)) {
      throw new CameraError(CE.CORRUPT, `${what}: codestream ${b} reaches bit ${r.consumed} of its chain at the next SOF, the header says ${regionBits + bitsToDiscard(h1)}`);
    }
    decodeGroups(r, tailGroups, h0.k, maxN, `${what} codestream ${b}`, out.subarray((total - tailGroups) * 4));
    scans[b] = out;
  }
  return { fieldWidth: fw, fieldHeight: fh, scans };
}

// YUV4MPEG2 (.y4m) streams, so the tool sits in an ffmpeg pipe:
//   ffmpeg -i in.mp4 -f yuv4mpegpipe - | screen upscale - out.y4m
// Supported: 8-bit 4:2:0 (C420jpeg/C420paldv/C420mpeg2/C420, the default when C is
// absent) and 4:4:4 (C444). Other C tags (mono, 422, 10-bit...) are rejected by name.
import { createReadStream, createWriteStream, readFileSync } from 'node:fs';
import type { Writable } from 'node:stream';
import { ModelInputError, E } from '../errors.ts';

export type Chroma = '420' | '444';

export interface Y4mHeader {
  width: number;
  height: number;
  /** Frame rate as a fraction (F tag), default 30:1 when absent. */
  fpsNum: number;
  fpsDen: number;
  /** I tag: p, t, b, m or '?' when absent. */
  interlace: string;
  /** A tag as written (e.g. "1:1"), '0:0' when absent. */
  aspect: string;
  /** C tag as written ('420jpeg' when absent), and what it means for the planes. */
  colorspace: string;
  chroma: Chroma;
  /** X tags and anything else, kept so they can be written back. */
  extra: string[];
}

export interface YuvFrame {
  width: number;
  height: number;
  chroma: Chroma;
  y: Uint8Array;
  u: Uint8Array;
  v: Uint8Array;
}

const MAGIC = 'YUV4MPEG2';
const MAX_HEADER = 4096;
const CHROMA_TAGS: Record<string, Chroma> = { '420jpeg': '420', '420paldv': '420', '420mpeg2': '420', '420': '420', '444': '444' };

export function chromaSize(width: number, height: number, chroma: Chroma): { cw: number; ch: number } {
  return chroma === '444' ? { cw: width, ch: height } : { cw: (width + 1) >> 1, ch: (height + 1) >> 1 };
}

export function frameBytes(h: { width: number; height: number; chroma: Chroma }): number {
  const { cw, ch } = chromaSize(h.width, h.height, h.chroma);
  return h.width * h.height + 2 * cw * ch;
}

function ratio(tag: string, v: string, where: string): [number, number] {
  const m = /^(\d+):(\d+)$/.exec(v);
  if (!m) throw new ModelInputError(E.Y4M_HEADER, `${where}: y4m header tag ${tag}${v} is not of the form N:D`);
  return [Number(m[1]), Number(m[2])];
}

/** Parse the stream header line (without its trailing newline). */
export function parseY4mHeader(line: string, where = '<y4m>'): Y4mHeader {
  const parts = line.split(' ').filter((p) => p.length > 0);
  if (parts[0] !== MAGIC) {
    throw new ModelInputError(E.Y4M_HEADER, `${where}: not a YUV4MPEG2 stream (starts with ${JSON.stringify(line.slice(0, 12))}, expected "${MAGIC}")`);
  }
  const h: Partial<Y4mHeader> & { extra: string[] } = { fpsNum: 30, fpsDen: 1, interlace: '?', aspect: '0:0', colorspace: '420jpeg', extra: [] };
  for (const p of parts.slice(1)) {
    const tag = p[0], v = p.slice(1);
    switch (tag) {
      case 'W':
      case 'H': {
        if (!/^\d+$/.test(v) || Number(v) <= 0 || Number(v) > 65535) throw new ModelInputError(E.Y4M_HEADER, `${where}: y4m header tag ${p} is not a positive frame ${tag === 'W' ? 'width' : 'height'}`);
        if (tag === 'W') h.width = Number(v);
        else h.height = Number(v);
        break;
      }
      case 'F': {
        const [n, d] = ratio(tag, v, where);
        if (n === 0 || d === 0) throw new ModelInputError(E.Y4M_HEADER, `${where}: y4m frame rate F${v} has a zero term`);
        h.fpsNum = n;
        h.fpsDen = d;
        break;
      }
      case 'I':
        if (!/^[ptbm?]$/.test(v)) throw new ModelInputError(E.Y4M_HEADER, `${where}: y4m interlace tag I${v} is not one of p t b m ?`);
        h.interlace = v;
        break;
      case 'A':
        ratio(tag, v, where);
        h.aspect = v;
        break;
      case 'C':
        h.colorspace = v;
        break;
      case 'X':
        h.extra.push(p);
        break;
      default:
        throw new ModelInputError(E.Y4M_HEADER, `${where}: unknown y4m header tag '${p}'`);
    }
  }
  if (h.width === undefined || h.height === undefined) throw new ModelInputError(E.Y4M_HEADER, `${where}: y4m header lacks the ${h.width === undefined ? 'W' : 'H'} tag`);
  const chroma = CHROMA_TAGS[h.colorspace!];
  if (!chroma) {
    throw new ModelInputError(E.Y4M_UNSUPPORTED, `${where}: y4m colorspace C${h.colorspace} is not supported (use 8-bit C420jpeg, C420paldv, C420mpeg2, C420 or C444)`);
  }
  if (h.interlace !== 'p' && h.interlace !== '?') {
    throw new ModelInputError(E.Y4M_UNSUPPORTED, `${where}: interlaced y4m (I${h.interlace}) is not supported; deinterlace first`);
  }
  return { ...(h as Y4mHeader), chroma };
}

export function formatY4mHeader(h: Y4mHeader): string {
  return [MAGIC, `W${h.width}`, `H${h.height}`, `F${h.fpsNum}:${h.fpsDen}`, `I${h.interlace}`, `A${h.aspect}`, `C${h.colorspace}`, ...h.extra].join(' ') + '\n';
}

/** Pulls exact byte counts and lines out of a chunked async source. */
class ByteSource {
  private chunks: Uint8Array[] = [];
  private have = 0;
  private done = false;
  constructor(private it: AsyncIterator<Uint8Array>) {}

  private async fill(n: number): Promise<boolean> {
    while (this.have < n && !this.done) {
      const r = await this.it.next();
      if (r.done) this.done = true;
      else if (r.value.length > 0) {
        this.chunks.push(r.value);
        this.have += r.value.length;
      }
    }
    return this.have >= n;
  }

  /** Up to n bytes (fewer only at end of stream). */
  async read(n: number): Promise<Uint8Array> {
    await this.fill(n);
    const take = Math.min(n, this.have);
    const out = new Uint8Array(take);
    let o = 0;
    while (o < take) {
      const c = this.chunks[0];
      const k = Math.min(c.length, take - o);
      out.set(c.subarray(0, k), o);
      o += k;
      if (k === c.length) this.chunks.shift();
      else this.chunks[0] = c.subarray(k);
    }
    this.have -= take;
    return out;
  }

  /** Bytes up to (not including) '\n'; null at a clean end of stream; throws past maxLen. */
  async line(maxLen: number, what: string): Promise<string | null> {
    const acc: number[] = [];
    for (;;) {
      if (!(await this.fill(1))) {
        if (acc.length === 0) return null;
        throw new ModelInputError(E.Y4M_TRUNCATED, `${what} ends without a newline after ${acc.length} bytes`);
      }
      const b = (await this.read(1))[0];
      if (b === 0x0a) return Buffer.from(acc).toString('latin1');
      acc.push(b);
      if (acc.length > maxLen) throw new ModelInputError(E.Y4M_HEADER, `${what} is longer than ${maxLen} bytes without a newline (not a y4m stream?)`);
    }
  }
}

/** Streaming y4m reader: `await header()`, then `for await (const f of frames())`. */
export class Y4mReader {
  private src: ByteSource;
  private hdr?: Y4mHeader;
  constructor(
    source: AsyncIterable<Uint8Array>,
    private where = '<y4m>',
  ) {
    this.src = new ByteSource(source[Symbol.asyncIterator]());
  }

  static fromFile(path: string): Y4mReader {
    const src = path === '-' ? process.stdin : createReadStream(path);
    return new Y4mReader(src as AsyncIterable<Uint8Array>, path === '-' ? '<stdin>' : path);
  }

  async header(): Promise<Y4mHeader> {
    if (this.hdr) return this.hdr;
    let line: string | null;
    try {
      line = await this.src.line(MAX_HEADER, `${this.where}: y4m stream header`);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') throw new ModelInputError(E.MISSING, `y4m file not found: ${this.where}`);
      if (e instanceof ModelInputError) throw e;
      throw new ModelInputError(E.UNREADABLE, `cannot read ${this.where}: ${(e as Error).message}`);
    }
    if (line === null) throw new ModelInputError(E.Y4M_TRUNCATED, `${this.where}: empty y4m stream (no header)`);
    this.hdr = parseY4mHeader(line, this.where);
    return this.hdr;
  }

  async *frames(): AsyncGenerator<YuvFrame> {
    const h = await this.header();
    const size = frameBytes(h);
    const { cw, ch } = chromaSize(h.width, h.height, h.chroma);
    for (let index = 0; ; index++) {
      const fl = await this.src.line(MAX_HEADER, `${this.where}: frame ${index} header`);
      if (fl === null) return;
      if (fl !== 'FRAME' && !fl.startsWith('FRAME ')) {
        throw new ModelInputError(E.Y4M_HEADER, `${this.where}: frame ${index} does not start with FRAME (got ${JSON.stringify(fl.slice(0, 16))})`);
      }
      const data = await this.src.read(size);
      if (data.length < size) {
        throw new ModelInputError(E.Y4M_TRUNCATED, `${this.where}: frame ${index} is truncated: ${data.length} of ${size} bytes (${h.width}x${h.height} C${h.colorspace})`);
      }
      const ny = h.width * h.height, nc = cw * ch;
      yield { width: h.width, height: h.height, chroma: h.chroma, y: data.subarray(0, ny), u: data.subarray(ny, ny + nc), v: data.subarray(ny + nc, ny + 2 * nc) };
    }
  }
}

/** Parse a whole in-memory y4m stream. */
export async function decodeY4m(bytes: Uint8Array, where = '<buffer>'): Promise<{ header: Y4mHeader; frames: YuvFrame[] }> {
  const r = new Y4mReader((async function* () { yield bytes; })(), where);
  const header = await r.header();
  const frames: YuvFrame[] = [];
  for await (const f of r.frames()) frames.push(f);
  return { header, frames };
}

export async function readY4mFile(path: string): Promise<{ header: Y4mHeader; frames: YuvFrame[] }> {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new ModelInputError(E.MISSING, `y4m file not found: ${path}`);
    throw new ModelInputError(E.UNREADABLE, `cannot read ${path}: ${(e as Error).message}`);
  }
  return decodeY4m(bytes, path);
}

function checkFrame(h: Y4mHeader, f: YuvFrame, where: string): void {
  const { cw, ch } = chromaSize(h.width, h.height, h.chroma);
  if (f.width !== h.width || f.height !== h.height || f.chroma !== h.chroma || f.y.length !== h.width * h.height || f.u.length !== cw * ch || f.v.length !== cw * ch) {
    throw new ModelInputError(E.SIZE_MISMATCH, `${where}: frame ${f.width}x${f.height} ${f.chroma} does not match the stream header ${h.width}x${h.height} ${h.chroma}`);
  }
}

export function encodeY4m(header: Y4mHeader, frames: YuvFrame[]): Buffer {
  const parts: Uint8Array[] = [Buffer.from(formatY4mHeader(header), 'latin1')];
  for (const f of frames) {
    checkFrame(header, f, '<y4m encode>');
    parts.push(Buffer.from('FRAME\n', 'latin1'), f.y, f.u, f.v);
  }
  return Buffer.concat(parts);
}

/** Streaming writer honouring back-pressure (stdout in a pipe, or a file). */
export class Y4mWriter {
  private started = false;
  private failed?: Error;
  private frames = 0;
  constructor(
    private sink: Writable,
    private header: Y4mHeader,
    private where = '<y4m out>',
  ) {
    // A reader that goes away (EPIPE) or a full disk must end the run with a clear error, not a crash.
    sink.on('error', (e) => (this.failed ??= e));
  }

  private check(): void {
    if (!this.failed) return;
    const code = (this.failed as NodeJS.ErrnoException).code;
    const why = code === 'EPIPE' ? 'the reading side closed the pipe' : this.failed.message;
    throw new ModelInputError(E.UNREADABLE, `cannot write ${this.where} after ${this.frames} frame(s): ${why}`);
  }

  static toFile(path: string, header: Y4mHeader): Y4mWriter {
    return new Y4mWriter(path === '-' ? process.stdout : createWriteStream(path), header, path === '-' ? '<stdout>' : path);
  }

  private async put(b: Uint8Array): Promise<void> {
    this.check();
    if (this.sink.write(b)) return;
    await new Promise<void>((res) => {
      const done = () => {
        this.sink.off('drain', done);
        this.sink.off('error', done);
        this.sink.off('close', done);
        res();
      };
      this.sink.on('drain', done).on('error', done).on('close', done);
    });
    this.check();
  }

  async write(f: YuvFrame): Promise<void> {
    checkFrame(this.header, f, this.where);
    if (!this.started) {
      await this.put(Buffer.from(formatY4mHeader(this.header), 'latin1'));
      this.started = true;
    }
    await this.put(Buffer.from('FRAME\n', 'latin1'));
    await this.put(f.y);
    await this.put(f.u);
    await this.put(f.v);
    this.frames++;
  }

  async close(): Promise<void> {
    if (!this.started) await this.put(Buffer.from(formatY4mHeader(this.header), 'latin1'));
    if (this.sink !== process.stdout) await new Promise<void>((res) => this.sink.end(res));
    this.check();
  }
}

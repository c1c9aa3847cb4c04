import assert from 'node:assert/strict';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { decodeY4m, encodeY4m, parseY4mHeader, readY4mFile, Y4mWriter, type Y4mHeader, type YuvFrame, type Chroma } from '../../model/io/y4m.ts';
import { rgbToYuvFrame, yuvFrameToRgb } from '../../model/io/yuv.ts';
import { readImage } from '../../model/io/image-file.ts';
import { E } from '../../model/errors.ts';
import { PILLOW, rejectsCode, tempDir, throwsCode, maxAbsDiff } from './helpers.ts';

function frame(w: number, h: number, chroma: Chroma, seed: number): YuvFrame {
  const cw = chroma === '444' ? w : (w + 1) >> 1, ch = chroma === '444' ? h : (h + 1) >> 1;
  const fill = (n: number, k: number) => Uint8Array.from({ length: n }, (_, i) => (i * k + seed) & 255);
  return { width: w, height: h, chroma, y: fill(w * h, 7), u: fill(cw * ch, 11), v: fill(cw * ch, 13) };
}
const header = (w: number, h: number, c: string, chroma: Chroma): Y4mHeader => ({ width: w, height: h, fpsNum: 30000, fpsDen: 1001, interlace: 'p', aspect: '1:1', colorspace: c, chroma, extra: ['XYSCSS=420JPEG'] });

describe('model/io y4m', () => {
  for (const [c, chroma, w, h] of [['420jpeg', '420', 6, 4], ['420mpeg2', '420', 7, 5], ['444', '444', 5, 3]] as const) {
    it(`round-trips C${c} ${w}x${h} byte for byte`, async () => {
      const hd = header(w, h, c, chroma);
      const frames = [frame(w, h, chroma, 1), frame(w, h, chroma, 2), frame(w, h, chroma, 3)];
      const bytes = encodeY4m(hd, frames);
      const back = await decodeY4m(bytes);
      assert.deepEqual(back.header, hd);
      assert.equal(back.frames.length, 3);
      for (let i = 0; i < 3; i++) {
        assert.deepEqual(Buffer.from(back.frames[i].y), Buffer.from(frames[i].y));
        assert.deepEqual(Buffer.from(back.frames[i].u), Buffer.from(frames[i].u));
        assert.deepEqual(Buffer.from(back.frames[i].v), Buffer.from(frames[i].v));
      }
      assert.deepEqual(encodeY4m(back.header, back.frames), bytes);
    });
  }

  it('streams through a file writer and reader, and in 1-byte chunks', async () => {
    const t = tempDir();
    try {
      const hd = header(6, 4, '420jpeg', '420');
      const path = join(t.dir, 'a.y4m');
      const w = Y4mWriter.toFile(path, hd);
      await w.write(frame(6, 4, '420', 9));
      await w.write(frame(6, 4, '420', 8));
      await w.close();
      const r = await readY4mFile(path);
      assert.equal(r.frames.length, 2);
      assert.deepEqual(Buffer.from(r.frames[1].v), Buffer.from(frame(6, 4, '420', 8).v));
      const bytes = encodeY4m(hd, [frame(6, 4, '420', 5)]);
      const { Y4mReader } = await import('../../model/io/y4m.ts');
      const rd = new Y4mReader((async function* () { for (const b of bytes) yield Uint8Array.of(b); })());
      const got: YuvFrame[] = [];
      for await (const f of rd.frames()) got.push(f);
      assert.equal(got.length, 1);
      assert.deepEqual(Buffer.from(got[0].y), Buffer.from(frame(6, 4, '420', 5).y));
    } finally {
      t.done();
    }
  });

  it('turns a closed output pipe into a coded error instead of a crash', async () => {
    const { Writable } = await import('node:stream');
    const sink = new Writable({
      highWaterMark: 1,
      write(_c, _e, cb) {
        const e = Object.assign(new Error('write EPIPE'), { code: 'EPIPE' });
        setImmediate(() => cb(e));
      },
    });
    const w = new Y4mWriter(sink, header(6, 4, '420jpeg', '420'), 'pipe');
    await rejectsCode((async () => { for (let i = 0; i < 5; i++) await w.write(frame(6, 4, '420', i)); })(), E.UNREADABLE, 'pipe', 'closed the pipe');
  });

  it('parses the W H F C I A tags and applies defaults', () => {
    const h = parseY4mHeader('YUV4MPEG2 W1280 H720 F25:1 Ip A1:1 C444 XCOLORRANGE=LIMITED');
    assert.deepEqual([h.width, h.height, h.fpsNum, h.fpsDen, h.interlace, h.aspect, h.chroma, h.extra], [1280, 720, 25, 1, 'p', '1:1', '444', ['XCOLORRANGE=LIMITED']]);
    const d = parseY4mHeader('YUV4MPEG2 W4 H2');
    assert.deepEqual([d.colorspace, d.chroma, d.fpsNum, d.fpsDen], ['420jpeg', '420', 30, 1]);
  });

  it('rejects corrupt headers and unsupported colourspaces by name', async () => {
    throwsCode(() => parseY4mHeader('YUV4MPEG W4 H2'), E.Y4M_HEADER, 'not a YUV4MPEG2');
    throwsCode(() => parseY4mHeader('YUV4MPEG2 Wabc H2'), E.Y4M_HEADER, 'Wabc');
    throwsCode(() => parseY4mHeader('YUV4MPEG2 W4'), E.Y4M_HEADER, 'lacks the H tag');
    throwsCode(() => parseY4mHeader('YUV4MPEG2 W4 H2 F30'), E.Y4M_HEADER, 'F30');
    throwsCode(() => parseY4mHeader('YUV4MPEG2 W4 H2 Q9'), E.Y4M_HEADER, 'Q9');
    throwsCode(() => parseY4mHeader('YUV4MPEG2 W4 H2 Cmono'), E.Y4M_UNSUPPORTED, 'Cmono');
    throwsCode(() => parseY4mHeader('YUV4MPEG2 W4 H2 C422'), E.Y4M_UNSUPPORTED, 'C422');
    throwsCode(() => parseY4mHeader('YUV4MPEG2 W4 H2 C420p10'), E.Y4M_UNSUPPORTED, 'C420p10');
    throwsCode(() => parseY4mHeader('YUV4MPEG2 W4 H2 It'), E.Y4M_UNSUPPORTED, 'interlaced');
    await rejectsCode(decodeY4m(Buffer.from('')), E.Y4M_TRUNCATED, 'empty');
    await rejectsCode(decodeY4m(Buffer.from('YUV4MPEG2 W4 H2')), E.Y4M_TRUNCATED, 'without a newline');
    await rejectsCode(decodeY4m(Buffer.alloc(5000, 65)), E.Y4M_HEADER, 'longer than');
  });

  it('reports truncated frames and bad frame markers with the frame number', async () => {
    const hd = header(6, 4, '420jpeg', '420');
    const bytes = encodeY4m(hd, [frame(6, 4, '420', 1), frame(6, 4, '420', 2)]);
    await rejectsCode(decodeY4m(bytes.subarray(0, bytes.length - 5), 'cut.y4m'), E.Y4M_TRUNCATED, 'cut.y4m', 'frame 1', '31 of 36 bytes');
    const bad = Buffer.from(bytes);
    bad.write('FRAMX', bytes.indexOf('FRAME', bytes.indexOf('FRAME') + 1), 'latin1');
    await rejectsCode(decodeY4m(bad), E.Y4M_HEADER, 'frame 1 does not start with FRAME');
    const t = tempDir();
    try {
      await rejectsCode(readY4mFile(join(t.dir, 'none.y4m')), E.MISSING, 'none.y4m');
      writeFileSync(join(t.dir, 'x.y4m'), 'hello\n');
      await rejectsCode(readY4mFile(join(t.dir, 'x.y4m')), E.Y4M_HEADER, 'x.y4m');
    } finally {
      t.done();
    }
  });

  it('converts RGB to 4:4:4 and 4:2:0 frames and back within integer-BT.601 error', () => {
    const img = readImage(join(PILLOW, 'lr_bicubic_80x64.png'));
    const back444 = yuvFrameToRgb(rgbToYuvFrame(img, '444'));
    assert.ok(maxAbsDiff(back444.data, img.data) <= 3, '4:4:4 round trip within 3 LSB');
    const f420 = rgbToYuvFrame(img, '420');
    assert.equal(f420.u.length, 40 * 32);
    assert.deepEqual(Buffer.from(f420.y), Buffer.from(rgbToYuvFrame(img, '444').y));
  });
});

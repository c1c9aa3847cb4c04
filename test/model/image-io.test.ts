import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodePng, encodePng, readImage, writePng } from '../../model/io/image-file.ts';
import { listSequences, readSequence, requireMultiple } from '../../model/io/frames.ts';
import { crop } from '../../model/image.ts';
import { E } from '../../model/errors.ts';
import { DAVIS, PILLOW, tempDir, throwsCode } from './helpers.ts';

describe('model/io images and frame folders', () => {
  it('round-trips RGB and gray PNG exactly', () => {
    const rgb = { width: 5, height: 3, channels: 3, data: Uint8Array.from({ length: 45 }, (_, i) => (i * 37) & 255) };
    assert.deepEqual(decodePng(encodePng(rgb)), rgb);
    const gray = { width: 4, height: 2, channels: 1, data: Uint8Array.from([0, 1, 2, 127, 128, 200, 254, 255]) };
    assert.deepEqual(decodePng(encodePng(gray)), gray);
  });

  it('reads a real DAVIS JPEG as 854x480 RGB', () => {
    const img = readImage(join(DAVIS, 'val/blackswan/00000.jpg'));
    assert.equal(img.width, 854);
    assert.equal(img.height, 480);
    assert.equal(img.channels, 3);
    assert.equal(img.data.length, 854 * 480 * 3);
  });

  it('rejects missing, empty and non-image files with coded errors', () => {
    const t = tempDir();
    try {
      throwsCode(() => readImage(join(t.dir, 'nope.png')), E.MISSING, 'nope.png');
      writeFileSync(join(t.dir, 'empty.png'), '');
      throwsCode(() => readImage(join(t.dir, 'empty.png')), E.FORMAT, 'empty.png');
      writeFileSync(join(t.dir, 'bad.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]));
      throwsCode(() => readImage(join(t.dir, 'bad.png')), E.UNREADABLE, 'bad.png');
    } finally {
      t.done();
    }
  });

  it('lists a sequence folder and a folder of sequences in name order', () => {
    const t = tempDir();
    try {
      const a = join(t.dir, 'seqA'), b = join(t.dir, 'seqB');
      mkdirSync(a);
      mkdirSync(b);
      const img = readImage(join(PILLOW, 'lr_bicubic_80x64.png'));
      for (const n of ['00002.png', '00000.png', '00001.png']) writePng(join(a, n), img);
      writePng(join(b, 'x.png'), img);
      writeFileSync(join(a, 'notes.txt'), 'ignored');
      const one = listSequences(a);
      assert.equal(one.length, 1);
      assert.deepEqual(one[0].frames.map((p) => p.slice(-9)), ['00000.png', '00001.png', '00002.png']);
      const all = listSequences(t.dir);
      assert.deepEqual(all.map((s) => [s.name, s.frames.length]), [['seqA', 3], ['seqB', 1]]);
      assert.equal([...readSequence(all[0], 2)].length, 2);
    } finally {
      t.done();
    }
  });

  it('names the missing folder and the empty folder', () => {
    const t = tempDir();
    try {
      throwsCode(() => listSequences(join(t.dir, 'absent')), E.MISSING, 'absent');
      throwsCode(() => listSequences(t.dir), E.MISSING, 'no frames');
    } finally {
      t.done();
    }
  });

  it('names both files and both sizes when frame sizes differ', () => {
    const t = tempDir();
    try {
      copyFileSync(join(PILLOW, 'hr_120x96.png'), join(t.dir, 'f0.png'));
      copyFileSync(join(PILLOW, 'lr_bicubic_80x64.png'), join(t.dir, 'f1.png'));
      const [seq] = listSequences(t.dir);
      throwsCode(() => [...readSequence(seq)], E.SIZE_MISMATCH, 'f0.png', '120x96', 'f1.png', '80x64');
    } finally {
      t.done();
    }
  });

  it('rejects sizes that are not multiples the protocol needs', () => {
    const img = crop(readImage(join(PILLOW, 'hr_120x96.png')), 0, 0, 121 - 2, 95);
    throwsCode(() => requireMultiple(img, 2, 'frame x.png', 'the 2x2 grid'), E.ODD_SIZE, '119x95', 'multiples of 2');
    requireMultiple({ width: 852, height: 480 }, 6, 'hr', 'the protocol');
  });
});

import assert from 'node:assert/strict';
import { assertBeatsEqual, compareBeats } from '../../sim/compare.ts';
import { BeatMismatchError } from '../../sim/errors.ts';
import { decodeOutputBeats, encodeInputBeats } from '../../sim/beat-file.ts';
import type { StreamSpec } from '../../sim/types.ts';

describe('sim: compareBeats and beat files', () => {
  const exp = [0, 1, 2, 3, 4, 5].map((d) => ({ data: d, last: d === 5 }));

  it('reports the first mismatching beat with expected and got values', () => {
    const got = exp.map((b, i) => ({ data: BigInt(i === 2 || i === 4 ? 9 : b.data), last: b.last, user: 0n, cycle: 10 + i }));
    const r = compareBeats(exp, got, { label: 'm_axis' });
    assert.equal(r.ok, false);
    assert.equal(r.first?.index, 2);
    assert.equal(r.mismatches, 2);
    assert.equal(r.first?.cycle, 12);
    assert.equal(r.message, 'm_axis: first mismatch at beat 2 (cycle 12) in data: expected data=0x2 last=0 user=0x0, got data=0x9 last=0 user=0x0; 2 of 6 compared beats differ, 0 missing, 0 extra (expected 6, got 6)');
  });

  it('counts missing and extra beats, and checks tlast/tuser unless told not to', () => {
    const short = compareBeats(exp, exp.slice(0, 4).map((b) => ({ ...b, data: BigInt(b.data), user: 0n })), { image: { width: 3, height: 2 } });
    assert.equal(short.missing, 2);
    assert.match(short.message, /output ends early, first missing beat 4 \(x=1, y=1, frame 0\)/);
    const long = compareBeats(exp.slice(0, 3), exp.map((b) => ({ ...b, data: BigInt(b.data), user: 0n, cycle: 7 })));
    assert.equal(long.extra, 3);
    assert.match(long.message, /3 extra beats after the expected 3, first extra data=0x3 .*\(cycle 7\)/);
    const noLast = exp.map((b) => ({ data: BigInt(b.data), last: false, user: 1n }));
    assert.deepEqual(compareBeats(exp, noLast).first?.fields, ['user']);
    assert.equal(compareBeats(exp, noLast).mismatches, 6);
    assert.ok(compareBeats(exp, noLast, { compareLast: false, compareUser: false }).ok);
    assert.throws(() => assertBeatsEqual(exp, noLast), (e: Error) => e instanceof BeatMismatchError && e.exitCode === 1);
  });

  it('maps beat indices to pixel x, y and frame, with several pixels per beat', () => {
    const e = Array.from({ length: 40 }, (_, i) => ({ data: i }));
    const g = e.map((b, i) => ({ data: BigInt(i === 27 ? 0 : b.data), last: false, user: 0n }));
    const r = compareBeats(e, g, { image: { width: 8, height: 3, pixelsPerBeat: 2 } });
    // beat 27 -> pixel 54 -> frame 2 (24 px per frame), pixel 6 in it -> x=6, y=0
    assert.deepEqual([r.first?.x, r.first?.y, r.first?.frame], [6, 0, 2]);
  });

  it('round-trips wide beats through the binary beat format', () => {
    const s: StreamSpec = { name: 'x', dir: 'in', dataWidth: 130, userWidth: 33, hasLast: true, hasReady: true, passive: false };
    const beats = [
      { data: (1n << 129n) | 0xdeadbeefn, user: (1n << 32n) | 5n, last: true },
      { data: 0n, user: 0n, last: false },
    ];
    const inBuf = encodeInputBeats(s, beats);
    assert.equal(inBuf.length, 2 * (5 + 2 + 1) * 4);
    // The output format adds a 64-bit cycle stamp before each beat.
    const words = new Uint32Array(inBuf.buffer, inBuf.byteOffset, inBuf.length / 4);
    const out = new Uint32Array(2 * 10);
    out.set([3, 1], 0);
    out.set(words.subarray(0, 8), 2);
    out.set([4, 0], 10);
    out.set(words.subarray(8, 16), 12);
    const dec = decodeOutputBeats(s, Buffer.from(out.buffer));
    assert.deepEqual(dec, [
      { cycle: 3 + 2 ** 32, ...beats[0] },
      { cycle: 4, ...beats[1] },
    ]);
    // One- and two-word values take a fast path; check both sides of its 2^53 limit.
    const s64: StreamSpec = { ...s, dataWidth: 64, userWidth: 0 };
    for (const v of [0n, 0xffffffffn, (1n << 53n) - 1n, 1n << 53n, (1n << 64n) - 1n]) {
      const w = new Uint32Array(encodeInputBeats(s64, [{ data: v }]).buffer.slice(0));
      const o = Buffer.from(new Uint32Array([0, 0, w[0], w[1], 0]).buffer);
      assert.equal(decodeOutputBeats(s64, o)[0].data, v);
    }
    assert.throws(() => encodeInputBeats(s, [{ data: 1n << 130n }]), /x beat 0 tdata: value 0x4.* does not fit in 130 bits/);
    assert.throws(() => encodeInputBeats(s, [{ data: 2 ** 60 }]), /not a safe integer/);
  });
});

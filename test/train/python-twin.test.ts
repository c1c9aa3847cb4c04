// Python side of the network area (needs Debian's /usr/bin/python3 with torch + numpy + PIL;
// skipped where that interpreter is missing): the numpy integer twin and the float model
// reproduce the committed reference vectors, and the tiny config trains, exports and
// round-trips through fixed_ref within a short budget.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const PY = '/usr/bin/python3';
const hasTorch = spawnSync(PY, ['-c', 'import torch, numpy, PIL'], { encoding: 'utf8' }).status === 0;
const py = (args: string[], timeout = 120000) =>
  spawnSync('nice', ['-n', '5', PY, ...args], { cwd: ROOT, encoding: 'utf8', timeout });

describe('train/ python twin', function () {
  before(function () {
    if (!hasTorch) this.skip();
  });

  it('fixed_ref and the float model reproduce every committed reference fixture', function () {
    this.timeout(120000);
    const dir = join(ROOT, 'test', 'fixtures', 'net');
    const fixtures = readdirSync(dir).filter((f) => f.endsWith('.ref.json')).map((f) => join(dir, f));
    assert.ok(fixtures.length > 0);
    const r = py(['train/check_reference.py', ...fixtures]);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    for (const line of r.stdout.trim().split('\n')) {
      const doc = JSON.parse(line);
      assert.equal(doc.int_pixels_mismatched, 0);
      assert.ok(doc.float_max_abs_diff <= 1e-6);
    }
  });

  it('head_x0: the head counts hidden_c + 4 inputs, a non-boolean is rejected, the linear init has the right tap layout', function () {
    this.timeout(150000);
    const tmp = mkdtempSync(join(tmpdir(), 'screen-x0-'));
    try {
      const p = py(['train/profile_net.py', 'train/configs/crnn_x0.json', '--json']);
      assert.equal(p.status, 0, p.stderr);
      const head = JSON.parse(p.stdout).layers.find((L: { name: string }) => L.name === 'head');
      assert.deepEqual([head.cin, head.cout, head.k, head.macs_per_lr_px], [16, 9, 3, 324]);
      const cfg = JSON.parse(readFileSync(join(ROOT, 'train/configs/crnn_x0.json'), 'utf8'));
      cfg.head_x0 = 1;
      const bad = join(tmp, 'bad.json');
      writeFileSync(bad, JSON.stringify(cfg));
      const b = py(['train/profile_net.py', bad]);
      assert.equal(b.status, 2);
      assert.match(b.stderr, /'head_x0' must be true or false/);
      cfg.head_x0 = false;
      cfg.head_x0_bits = 8;
      writeFileSync(bad, JSON.stringify(cfg));
      const nb = py(['train/profile_net.py', bad]);
      assert.equal(nb.status, 2);
      assert.match(nb.stderr, /'head_x0_bits' needs 'head_x0': true/);
      cfg.head_x0 = true;
      cfg.head_x0_bits = 4; // below quant_bits 8
      writeFileSync(bad, JSON.stringify(cfg));
      const lo = py(['train/profile_net.py', bad]);
      assert.equal(lo.status, 2);
      assert.match(lo.stderr, /'head_x0_bits' must be 4, 6, 8, 10 or 12 and >= quant_bits 8/);
      const l = py(['train/linear_init.py']);
      assert.equal(l.status, 0, l.stderr);
      assert.ok(JSON.parse(l.stdout).max_abs_interior_diff < 1e-9, l.stdout);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('tiny config: trains 400 iterations, beats the skip upscaler, exports, and fixed_ref matches fake-quant', function () {
    this.timeout(180000);
    const tmp = mkdtempSync(join(tmpdir(), 'screen-train-'));
    try {
      const run = join(tmp, 'run');
      const t = py(['train/train.py', '--config', 'train/configs/tiny.json', '--minutes', '2', '--max-iters', '400', '--out', run], 150000);
      assert.equal(t.status, 0, t.stdout + t.stderr);
      const m = /final it (\d+): val fake-quant ([\d.]+) dB, float ([\d.]+) dB, skip ([\d.]+) dB/.exec(t.stdout);
      assert.ok(m, t.stdout);
      assert.equal(Number(m[1]), 400);
      assert.ok(Number(m[2]) > Number(m[4]) + 0.2, `fake-quant ${m[2]} dB does not beat skip ${m[4]} dB`);
      const w = join(tmp, 'tiny_q8.json');
      const e = py(['train/export.py', join(run, 'ckpt.pt'), w]);
      assert.equal(e.status, 0, e.stderr);
      const doc = JSON.parse(readFileSync(w, 'utf8'));
      assert.equal(doc.format, 'screen-crnn-weights');
      assert.equal(doc.profile.macs_per_lr_px, 69);
      const mr = py(['train/make_reference.py', w, '--trace', '--outdir', tmp]);
      assert.equal(mr.status, 0, mr.stderr);
      const c = py(['train/check_reference.py', join(tmp, 'tiny_q8.ref.json')]);
      assert.equal(c.status, 0, c.stdout + c.stderr);
      // the fake-quant PyTorch model and the integer twin agree on nearly every pixel
      const q = py(['train/qat_vs_fixed.py', join(run, 'ckpt.pt'), w]);
      assert.equal(q.status, 0, q.stdout + q.stderr);
      const agree = JSON.parse(q.stdout);
      assert.ok(agree.max_abs_diff <= 2 && agree.frac_differing < 0.01, q.stdout);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});

// `screen eval`: score the x1.5 upscalers on real frames under model/protocol.ts.
import type { Command, CommandContext } from '../command.ts';
import { UsageError, intOption, stringOption } from '../command.ts';
import { listSequences } from '../../model/io/frames.ts';
import { evaluateSequence, meanOver, type SequenceResult } from '../../model/evaluate.ts';
import { Report } from '../../model/report.ts';
import { buildMethods, METHOD_NAMES } from '../../model/methods.ts';

export const command: Command = {
  name: 'eval',
  summary: 'evaluate the x1.5 upscalers (baselines and network) on frame folders',
  usage: '--frames <dir> [--max-frames N] [--score-every N] [--methods a,b] [--report <dir>] [--json]',
  options: {
    frames: { type: 'string', arg: 'DIR', help: 'a sequence folder of frames, or a folder of sequence folders' },
    'max-frames': { type: 'string', arg: 'N', help: 'use at most the first N frames of each sequence' },
    'score-every': { type: 'string', arg: 'N', default: '1', help: 'score every N-th frame (recurrent models still see every frame)' },
    methods: { type: 'string', arg: 'LIST', help: `comma-separated subset of ${METHOD_NAMES.join(',')} (default: all available)` },
    weights: { type: 'string', arg: 'FILE', help: 'network weights JSON for float/fixed (default: weights/crnn_q8.json)' },
    'single-weights': { type: 'string', arg: 'FILE', help: 'single-frame ablation weights (default: a weights/*.json with "single_frame": true)' },
    'linear-weights': { type: 'string', arg: 'FILE', help: 'linear-filter weights JSON (default: weights/linear_6x6.json)' },
    report: { type: 'string', arg: 'DIR', help: 'write an HTML report (crops as PNGs, per-frame PSNR plot) into DIR' },
  },
  details: `Protocol: HR = frame centre-cropped to multiples of 6; LR = HR / 1.5 (Pillow-exact bicubic);
each method upscales LR back x1.5. Scores: Y-PSNR (BT.601 float luma, 4-px border
shaved), Y-SSIM (11x11 Gaussian, sigma 1.5), temporal error (RMSE of frame-to-frame
luma changes against ground truth). Mean = over all scored frames.
Network methods appear only when their weights file exists.`,
  async run(ctx: CommandContext) {
    const dir = stringOption(ctx.opts, 'frames');
    if (!dir) throw new UsageError(`--frames <dir> is required. Run 'screen eval --help' for the options.`);
    if (ctx.positionals.length) throw new UsageError(`unexpected argument '${ctx.positionals[0]}'`);
    const maxFrames = intOption(ctx.opts, 'max-frames', Number.MAX_SAFE_INTEGER, 1, Number.MAX_SAFE_INTEGER);
    const every = intOption(ctx.opts, 'score-every', 1, 1, 1000);
    const wanted = stringOption(ctx.opts, 'methods')?.split(',').map((s) => s.trim()).filter(Boolean);
    const seqs = listSequences(dir);
    const { methods, info } = buildMethods({ wanted, netWeights: stringOption(ctx.opts, 'weights'), singleWeights: stringOption(ctx.opts, 'single-weights'), linearWeights: stringOption(ctx.opts, 'linear-weights'), log: ctx.log });
    const reportDir = stringOption(ctx.opts, 'report');
    const report = reportDir ? new Report(reportDir) : undefined;
    ctx.log(`eval: ${seqs.length} sequence(s), methods ${methods.map((m) => m.name).join(', ')}`);
    const results: SequenceResult[] = [];
    for (const seq of seqs) {
      const total = Math.min(seq.frames.length, maxFrames);
      const scoredIdx = Array.from({ length: total }, (_, i) => i).filter((i) => i % every === 0);
      const middle = scoredIdx[scoredIdx.length >> 1];
      results.push(
        evaluateSequence(seq, methods, {
          maxFrames,
          scoreEvery: every,
          log: ctx.log,
          onScored: report ? (name, index, hr, outs) => report.offer(name, index, middle, hr, outs) : undefined,
        }),
      );
    }
    const mean = { psnr_y: meanOver(results, 'psnr_y'), ssim_y: meanOver(results, 'ssim_y'), temporal: meanOver(results, 'temporal') };
    const json = {
      sequences: results.map(({ name, frames, psnr_y, ssim_y, temporal }) => ({ name, frames, psnr_y, ssim_y, temporal })),
      mean,
      macs_per_lr_pixel: info.macs,
      params: info.params,
      weights: info.weights,
    };
    let reportPath: string | undefined;
    if (report) reportPath = report.write(results, mean, { frames: dir, score_every: every, macs_per_lr_pixel: info.macs, params: info.params, weights: info.weights });
    const f = (v: number | null | undefined, d = 2) => (v === null || v === undefined ? '–' : Number.isFinite(v) ? v.toFixed(d) : 'inf');
    const names = methods.map((m) => m.name);
    const lines = [
      `${'sequence'.padEnd(20)} ${'frames'.padStart(6)} ${names.map((n) => n.padStart(13)).join(' ')}   (Y-PSNR dB)`,
      ...results.map((r) => `${r.name.padEnd(20)} ${String(r.frames).padStart(6)} ${names.map((n) => f(r.psnr_y[n]).padStart(13)).join(' ')}`),
      `${'mean'.padEnd(20)} ${String(results.reduce((a, r) => a + r.frames, 0)).padStart(6)} ${names.map((n) => f(mean.psnr_y[n]).padStart(13)).join(' ')}`,
      `${'mean Y-SSIM'.padEnd(27)} ${names.map((n) => f(mean.ssim_y[n], 4).padStart(13)).join(' ')}`,
      `${'mean temporal err'.padEnd(27)} ${names.map((n) => f(mean.temporal[n]).padStart(13)).join(' ')}`,
      `${'MACs / LR pixel'.padEnd(27)} ${names.map((n) => String(info.macs[n] ?? '–').padStart(13)).join(' ')}`,
    ];
    if (reportPath) lines.push(`report: ${reportPath}`);
    return { exitCode: 0, json, text: lines.join('\n') };
  },
};

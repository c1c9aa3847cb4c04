// `screen camera`: golden models of the high-speed camera pipeline (Bayer → 5/3 DWT →
// quantizer + group coder → frame stream; decoder, HDMI preview, cycle budget).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command, CommandContext, CommandResult } from '../command.ts';
import { UsageError, choiceOption, intOption, numOption, stringOption } from '../command.ts';
import { FIELD_NAMES, type BayerMode, type Mosaic, type Transfer } from '../../model/camera/bayer.ts';
import { BANDS, STAGE_WIDTH } from '../../model/camera/dwt.ts';
import { chooseKs, multsForQuant, type BandParams } from '../../model/camera/codec.ts';
import { StreamEncoder, decodeStreamFrame, defaultLatency, readStreamInfo } from '../../model/camera/stream.ts';
import { decodeLL1, decodeMosaic } from '../../model/camera/decode.ts';
import { analyzeMosaic, debayer, frameBits, frameQuality, psnr10, quantForRatio } from '../../model/camera/pipeline.ts';
import { checkViewport, fitViewport, hdmiPreview, maxColumnAdvance, normRegister, HDMI_ACTIVE, type Viewport } from '../../model/camera/preview.ts';
import { CEA861_1080P30, frameEvents, frameRate, opxSchedule } from '../../model/camera/hdmi-timing.ts';
import { SEED_MODES, cycleBudget } from '../../model/camera/budget.ts';
import { cameraSequences, mosaics } from '../../model/camera/source.ts';
import { writePng } from '../../model/io/image-file.ts';
import { CameraError, CE } from '../../model/camera/errors.ts';
import { ModelInputError, E } from '../../model/errors.ts';
import type { Image } from '../../model/image.ts';

const ACTIONS = ['encode', 'decode', 'preview', 'roundtrip', 'rd', 'budget'] as const;
type Action = (typeof ACTIONS)[number];

const num = (v: number, d = 2) => (Number.isFinite(v) ? Number(v.toFixed(d)) : null);

function rgb10ToImage(rgb: Uint16Array, w: number, h: number): Image {
  const data = new Uint8Array(rgb.length);
  for (let i = 0; i < rgb.length; i++) data[i] = rgb[i] >> 2;
  return { width: w, height: h, channels: 3, data };
}

interface Common {
  mode: BayerMode;
  transfer: Transfer;
  maxFrames: number;
  quant?: number;
  targetRatio?: number;
  burst: number;
}

function common(ctx: CommandContext): Common {
  const quant = ctx.opts.quant !== undefined ? numOption(ctx.opts, 'quant', 1, 1, 256) : undefined;
  const targetRatio = ctx.opts['target-ratio'] !== undefined ? numOption(ctx.opts, 'target-ratio', 5, 1, 100) : undefined;
  if (quant !== undefined && targetRatio !== undefined) throw new UsageError('give --quant or --target-ratio, not both');
  return {
    mode: ctx.opts.subsampled ? 'subsampled' : 'full',
    transfer: choiceOption(ctx.opts, 'transfer', 'replicate', ['replicate', 'linear'] as const),
    maxFrames: intOption(ctx.opts, 'max-frames', Number.MAX_SAFE_INTEGER, 1, Number.MAX_SAFE_INTEGER),
    quant,
    targetRatio,
    burst: intOption(ctx.opts, 'burst', 4, 1, 255),
  };
}

function need(ctx: CommandContext, name: string, action: string): string {
  const v = stringOption(ctx.opts, name);
  if (!v) throw new UsageError(`screen camera ${action} needs --${name}. Run 'screen camera --help' for the options.`);
  return v;
}

interface SeqRun {
  name: string;
  frames: number;
  q: number;
  rawBits: number;
  codedBits: number;
  containerBytes: number;
  mseRgb: number[];
  mseFields: Record<string, number[]>;
  lossless: boolean;
  bandBits: Record<string, number>;
}

/** Encode one sequence into a stream container and decode every frame alone. */
function runSequence(ms: Mosaic[], name: string, c: Common, q: number, log: (m: string) => void, verify = true): SeqRun & { container: Uint8Array; mults: BandParams } {
  const mults = multsForQuant(q);
  const m0 = ms[0];
  const enc = new StreamEncoder({ mode: c.mode, width: m0.width, height: m0.height, mults, latencyGroups: defaultLatency(m0.width, m0.height), burstWords: c.burst });
  const run: SeqRun = { name, frames: ms.length, q, rawBits: 0, codedBits: 0, containerBytes: 0, mseRgb: [], mseFields: Object.fromEntries(FIELD_NAMES.map((n) => [n, []])), lossless: true, bandBits: Object.fromEntries(BANDS.map((b) => [b, 0])) };
  const scans = ms.map((m) => analyzeMosaic(m, mults));
  for (const s of scans) {
    const k = chooseKs(s);
    enc.addFrame(s, k);
    const fb = frameBits(s, k);
    for (const b of BANDS) {
      run.codedBits += fb[b];
      run.bandBits[b] += fb[b];
    }
    run.rawBits += 10 * m0.width * m0.height;
  }
  const container = enc.finish();
  run.containerBytes = container.length;
  if (verify) {
    const info = readStreamInfo(container);
    for (let n = 0; n < ms.length; n++) {
      const d = decodeStreamFrame(container, n, info);
      const qf = frameQuality(ms[n], decodeMosaic(d, mults, c.mode));
      run.lossless &&= qf.lossless;
      run.mseRgb.push(qf.mseRgb);
      for (const f of FIELD_NAMES) run.mseFields[f].push(qf.mseFields[f]);
      log(`camera: ${name} frame ${n + 1}/${ms.length} q=${q.toFixed(2)} PSNR ${psnr10(qf.mseRgb).toFixed(2)} dB${qf.lossless ? ' (lossless)' : ''}`);
    }
  }
  return { ...run, container, mults };
}

function loadAll(dir: string, c: Common): { name: string; ms: Mosaic[] }[] {
  return cameraSequences(dir).map((seq) => ({ name: seq.name, ms: [...mosaics(seq, c.mode, c.transfer, c.maxFrames)].map((x) => x.mosaic) }));
}

function pickQ(ms: Mosaic[], c: Common): number {
  if (c.targetRatio !== undefined) return quantForRatio(ms, c.targetRatio).q;
  return c.quant ?? 1;
}

const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / Math.max(1, a.length);

function summarize(runs: SeqRun[]) {
  const raw = runs.reduce((s, r) => s + r.rawBits, 0);
  const coded = runs.reduce((s, r) => s + r.codedBits, 0);
  const cont = runs.reduce((s, r) => s + r.containerBytes * 8, 0);
  const allMse = runs.flatMap((r) => r.mseRgb);
  const lossless = runs.every((r) => r.lossless);
  return {
    frames: allMse.length,
    ratio: num(raw / coded, 3),
    container_ratio: num(raw / cont, 3),
    bits_per_pixel: num((coded / raw) * 10, 3),
    psnr: lossless ? null : num(psnr10(mean(allMse))),
    lossless,
    psnr_fields: Object.fromEntries(FIELD_NAMES.map((f) => [f, num(psnr10(mean(runs.flatMap((r) => r.mseFields[f]))))])),
  };
}

async function roundtrip(ctx: CommandContext): Promise<CommandResult> {
  const c = common(ctx);
  const seqs = loadAll(need(ctx, 'frames', 'roundtrip'), c);
  const runs: SeqRun[] = [];
  for (const s of seqs) runs.push(runSequence(s.ms, s.name, c, pickQ(s.ms, c), ctx.log));
  const sum = summarize(runs);
  const json = {
    ...sum,
    mode: c.mode,
    transfer: c.transfer,
    psnr_definition: '10-bit RGB PSNR (peak 1023) of the bilinear-debayered round trip vs the debayered original mosaic, from the mean MSE over frames; psnr is null when lossless',
    sequences: runs.map((r) => ({ name: r.name, frames: r.frames, q: num(r.q, 3), ratio: num(r.rawBits / r.codedBits, 3), psnr: r.lossless ? null : num(psnr10(mean(r.mseRgb))), lossless: r.lossless, band_bits: r.bandBits })),
  };
  const expectLossless = c.targetRatio === undefined && (c.quant ?? 1) === 1;
  const ok = !expectLossless || sum.lossless;
  const text = [
    `${sum.frames} frame(s), ${c.mode} mode: ratio ${sum.ratio}:1 (${sum.bits_per_pixel} bit/px; container ${sum.container_ratio}:1), ${sum.lossless ? 'lossless' : `PSNR ${sum.psnr} dB`}`,
    `per field PSNR: ${FIELD_NAMES.map((f) => `${f} ${sum.psnr_fields[f] ?? 'inf'}`).join(', ')}`,
    ...(ok ? [] : ['CHECK FAILED: quantizer 1 must be lossless']),
  ].join('\n');
  return { exitCode: ok ? 0 : 1, json, text };
}

async function encode(ctx: CommandContext): Promise<CommandResult> {
  const c = common(ctx);
  const out = need(ctx, 'out', 'encode');
  const seqs = loadAll(need(ctx, 'frames', 'encode'), c);
  const ms = seqs.flatMap((s) => s.ms);
  const q = pickQ(ms, c);
  const r = runSequence(ms, seqs.map((s) => s.name).join('+'), c, q, ctx.log, false);
  try {
    writeFileSync(out, r.container);
  } catch (e) {
    throw new CameraError(CE.PARAM, `cannot write ${out}: ${(e as Error).message}`);
  }
  const json = { out, frames: ms.length, width: ms[0].width, height: ms[0].height, mode: c.mode, q: num(q, 3), bytes: r.container.length, ratio: num(r.rawBits / r.codedBits, 3), container_ratio: num(r.rawBits / (8 * r.container.length), 3), mults: r.mults };
  return { exitCode: 0, json, text: `wrote ${out}: ${ms.length} frame(s) ${ms[0].width}x${ms[0].height} ${c.mode}, ${r.container.length} bytes, ratio ${json.ratio}:1 (q ${json.q})` };
}

function readContainer(ctx: CommandContext, action: string) {
  const path = need(ctx, 'in', action);
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(readFileSync(path));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new ModelInputError(E.MISSING, `camera stream not found: ${path}`);
    throw new ModelInputError(E.UNREADABLE, `cannot read camera stream ${path}: ${(e as Error).message}`);
  }
  const info = readStreamInfo(bytes, path);
  const frame = intOption(ctx.opts, 'frame', 0, 0, Number.MAX_SAFE_INTEGER);
  return { path, bytes, info, frame, scans: decodeStreamFrame(bytes, frame, info) };
}

async function decode(ctx: CommandContext): Promise<CommandResult> {
  const out = need(ctx, 'out', 'decode');
  const { path, info, frame, scans } = readContainer(ctx, 'decode');
  const m = decodeMosaic(scans, info.mults, info.mode);
  writePng(out, rgb10ToImage(debayer(m), m.width, m.height));
  return { exitCode: 0, json: { in: path, frame, frames: info.frames, width: m.width, height: m.height, mode: info.mode, out }, text: `decoded frame ${frame} of ${info.frames} (${m.width}x${m.height} ${info.mode}) → ${out}` };
}

function parseViewport(s: string): Viewport {
  const m = /^(\d+)x(\d+)\+(\d+)\+(\d+)$/.exec(s);
  if (!m) throw new CameraError(CE.VIEWPORT, `--viewport must look like WxH+X+Y (e.g. 1440x1080+240+0), got '${s}'`);
  return { width: +m[1], height: +m[2], x: +m[3], y: +m[4] };
}

async function preview(ctx: CommandContext): Promise<CommandResult> {
  const out = need(ctx, 'out', 'preview');
  const focus = numOption(ctx.opts, 'focus', 1, 1, 4);
  const vpArg = stringOption(ctx.opts, 'viewport');
  const vp0 = vpArg ? parseViewport(vpArg) : undefined;
  if (vp0) checkViewport(vp0, HDMI_ACTIVE.width, HDMI_ACTIVE.height);
  const { path, info, frame, scans } = readContainer(ctx, 'preview');
  const ll1 = decodeLL1(scans, info.mults, { focusGainQ4: Math.round(focus * 16) });
  const vp = vp0 ?? fitViewport(ll1.width, ll1.height);
  writePng(out, hdmiPreview(ll1, info.mode, vp));
  const sched = opxSchedule(vp);
  const json = {
    in: path,
    frame,
    out,
    mode: info.mode,
    ll1: { width: ll1.width, height: ll1.height },
    viewport: vp,
    registers: { sx: normRegister(vp.width), sy: normRegister(vp.height) },
    focus_gain_q4: Math.round(focus * 16),
    max_ll1_pixels_per_clock: maxColumnAdvance(ll1.width, info.mode, 1, vp.width),
    timing: { ...CEA861_1080P30, fps: frameRate(), edges_per_frame: frameEvents().length },
    opx: sched,
  };
  return { exitCode: 0, json, text: `preview of frame ${frame}: LL1 ${ll1.width}x${ll1.height} → viewport ${vp.width}x${vp.height}+${vp.x}+${vp.y} of 1920x1080p${frameRate()} → ${out}` };
}

async function budget(): Promise<CommandResult> {
  const rows = SEED_MODES.map((m) => cycleBudget(m));
  const text = rows
    .map((r) => `${r.mode}: ${(r.pixelRate / 1e9).toFixed(3)} Gpx/s, ${r.clocksPerFrame} clocks/frame at 64 px/clk, needs >= ${(r.minClockHz / 1e6).toFixed(2)} MHz; at 60 MHz ${r.clocksAvailable.toFixed(0)} clocks/frame (${(100 * r.utilisation).toFixed(1)}% busy, ${r.overheadClocks.toFixed(0)} left for overhead); ${(r.compressedBytesPerSecond / 1e9).toFixed(3)} GB/s at 5:1`)
    .join('\n');
  const hdmi = { pixelClockHz: CEA861_1080P30.pixelClockHz, fps: frameRate(), clocksPerFrame: CEA861_1080P30.h.total * CEA861_1080P30.v.total, activePixels: 1920 * 1080 };
  return { exitCode: 0, json: { capture: rows, hdmi, dwt_widths: STAGE_WIDTH }, text: `${text}\nHDMI 1080p30: ${hdmi.clocksPerFrame} clocks/frame at 74.25 MHz = ${hdmi.fps} fps` };
}

function svgPlot(points: { ratio: number; psnr: number }[], target?: { ratio: number; psnr: number }): string {
  const W = 640, H = 400, L = 60, B = 50, R = 20, T = 20;
  const xs = points.map((p) => p.ratio), ys = points.map((p) => p.psnr);
  const x0 = 1, x1 = Math.ceil(Math.max(...xs, 6)), y0 = Math.floor(Math.min(...ys) - 1), y1 = Math.ceil(Math.max(...ys) + 1);
  const X = (v: number) => L + ((v - x0) / (x1 - x0)) * (W - L - R), Y = (v: number) => H - B - ((v - y0) / (y1 - y0)) * (H - T - B);
  const path = points.map((p, i) => `${i ? 'L' : 'M'}${X(p.ratio).toFixed(1)},${Y(p.psnr).toFixed(1)}`).join(' ');
  const ticks = [];
  for (let v = x0; v <= x1; v++) ticks.push(`<text x="${X(v)}" y="${H - B + 18}" text-anchor="middle" font-size="12">${v}</text>`);
  for (let v = y0; v <= y1; v += Math.max(1, Math.round((y1 - y0) / 8))) ticks.push(`<text x="${L - 8}" y="${Y(v) + 4}" text-anchor="end" font-size="12">${v}</text>`);
  const dots = points.map((p) => `<circle cx="${X(p.ratio).toFixed(1)}" cy="${Y(p.psnr).toFixed(1)}" r="3" fill="#1f77b4"/>`).join('');
  const tgt = target ? `<circle cx="${X(target.ratio).toFixed(1)}" cy="${Y(target.psnr).toFixed(1)}" r="5" fill="none" stroke="#d62728" stroke-width="2"/><text x="${X(target.ratio) + 8}" y="${Y(target.psnr) - 8}" font-size="12" fill="#d62728">${target.psnr.toFixed(2)} dB at ${target.ratio.toFixed(2)}:1</text>` : '';
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif"><rect width="${W}" height="${H}" fill="white"/><rect x="${L}" y="${T}" width="${W - L - R}" height="${H - T - B}" fill="none" stroke="#888"/>${ticks.join('')}<path d="${path}" fill="none" stroke="#1f77b4" stroke-width="2"/>${dots}${tgt}<text x="${(L + W - R) / 2}" y="${H - 12}" text-anchor="middle" font-size="13">compression ratio (raw 10-bit : coded)</text><text x="16" y="${(T + H - B) / 2}" transform="rotate(-90 16 ${(T + H - B) / 2})" text-anchor="middle" font-size="13">RGB PSNR (dB, 10-bit)</text></svg>\n`;
}

async function rd(ctx: CommandContext): Promise<CommandResult> {
  const c = common(ctx);
  const outDir = need(ctx, 'out', 'rd');
  const qs = (stringOption(ctx.opts, 'quants') ?? '2,4,8,16,24,32,48,64,96,128').split(',').map((s) => {
    const v = Number(s);
    if (!Number.isFinite(v) || v < 1 || v > 256) throw new UsageError(`--quants takes numbers in [1, 256], got '${s}'`);
    return v;
  });
  const seqs = loadAll(need(ctx, 'frames', 'rd'), c);
  const rows = [];
  for (const q of qs) {
    const s = summarize(seqs.map((x) => runSequence(x.ms, x.name, c, q, () => {})));
    rows.push({ q, ...s });
    ctx.log(`camera rd: q=${q} ratio ${s.ratio} PSNR ${s.psnr}`);
  }
  // One step for the whole set (equal slope across sequences beats equal ratio per sequence).
  const q5 = quantForRatio(seqs.flatMap((x) => x.ms), 5).q;
  const at5 = { q: num(q5, 3), ...summarize(seqs.map((x) => runSequence(x.ms, x.name, c, q5, () => {}))) };
  ctx.log(`camera rd: target 5:1 → ratio ${at5.ratio} PSNR ${at5.psnr}`);
  mkdirSync(outDir, { recursive: true });
  const pts = rows.filter((r) => r.psnr !== null).map((r) => ({ ratio: r.ratio as number, psnr: r.psnr as number }));
  writeFileSync(join(outDir, 'rd.svg'), svgPlot(pts, at5.psnr !== null ? { ratio: at5.ratio as number, psnr: at5.psnr } : undefined));
  const md = ['| q | ratio | bit/px | PSNR RGB (dB) | R | G1 | G2 | B |', '|---|---|---|---|---|---|---|---|', ...rows.map((r) => `| ${r.q} | ${r.ratio} | ${r.bits_per_pixel} | ${r.psnr ?? 'lossless'} | ${FIELD_NAMES.map((f) => r.psnr_fields[f] ?? 'inf').join(' | ')} |`), `| ${at5.q} (5:1 target) | ${at5.ratio} | ${at5.bits_per_pixel} | ${at5.psnr} | ${FIELD_NAMES.map((f) => at5.psnr_fields[f]).join(' | ')} |`];
  writeFileSync(join(outDir, 'rd.md'), md.join('\n') + '\n');
  const json = { frames: rows[0]?.frames ?? 0, mode: c.mode, rows, target_5to1: at5, files: ['rd.svg', 'rd.md', 'rd.json'].map((f) => join(outDir, f)) };
  writeFileSync(join(outDir, 'rd.json'), JSON.stringify(json, null, 2) + '\n');
  return { exitCode: 0, json, text: md.join('\n') + `\nwrote ${outDir}/rd.{svg,md,json}` };
}

export const command: Command = {
  name: 'camera',
  summary: 'golden models of the high-speed camera pipeline: encode, decode, preview, roundtrip, rd, budget',
  usage: '<encode|decode|preview|roundtrip|rd|budget> [options]',
  options: {
    frames: { type: 'string', arg: 'PATH', help: 'an image file, a folder of frames, or a folder of sequence folders' },
    'max-frames': { type: 'string', arg: 'N', help: 'use at most the first N frames of each sequence' },
    quant: { type: 'string', arg: 'Q', help: 'quantizer step for HH1 (1 = lossless; other subbands scaled by their synthesis gain)' },
    'target-ratio': { type: 'string', arg: 'R', help: 'pick the step per sequence (over all its frames) to reach R:1' },
    subsampled: { type: 'boolean', help: 'CMV12000 2x subsampled readout (every other 2x2 Bayer group)' },
    transfer: { type: 'string', arg: 'T', help: '8-bit → 10-bit: replicate (v*4 + v>>6) or linear (sRGB EOTF)', default: 'replicate' },
    burst: { type: 'string', arg: 'W', help: 'AXI burst length in 128-bit words (commit granularity)', default: '4' },
    out: { type: 'string', arg: 'PATH', help: 'output: stream file (encode), PNG (decode, preview), folder (rd)' },
    in: { type: 'string', arg: 'FILE', help: 'stream file written by encode (decode, preview)' },
    frame: { type: 'string', arg: 'N', help: 'frame of the stream to decode alone (default 0)' },
    viewport: { type: 'string', arg: 'WxH+X+Y', help: 'preview viewport inside 1920x1080 (default: fit, centred)' },
    focus: { type: 'string', arg: 'G', help: 'focus-assist gain on high-pass subbands, 1..4 (preview)', default: '1' },
    quants: { type: 'string', arg: 'LIST', help: 'rd: comma-separated quantizer steps' },
  },
  details: `roundtrip: encode every sequence as one continuous frame stream, decode each frame alone
from its start-of-frame context, and report ratio (raw 10-bit bits / coded bits), PSNR of the
bilinear-debayered result against the debayered original (10-bit, peak 1023), per-field PSNR,
and whether the round trip is lossless (exit 1 if --quant 1 is not).
rd: rate-distortion table + SVG over quantizer steps, plus the 5:1 point (one step for all frames).
budget: cycle budget of 4096x3072@300 and 2048x1088@1440 at 64 px/clock.`,
  async run(ctx: CommandContext): Promise<CommandResult> {
    const [action, ...rest] = ctx.positionals;
    if (!action || !(ACTIONS as readonly string[]).includes(action)) throw new UsageError(`screen camera needs an action: ${ACTIONS.join(', ')}${action ? ` (got '${action}')` : ''}`);
    if (rest.length) throw new UsageError(`unexpected argument '${rest[0]}'`);
    switch (action as Action) {
      case 'encode':
        return encode(ctx);
      case 'decode':
        return decode(ctx);
      case 'preview':
        return preview(ctx);
      case 'roundtrip':
        return roundtrip(ctx);
      case 'rd':
        return rd(ctx);
      case 'budget':
        return budget();
    }
  },
};

// `screen upscale`: x1.5 with the bit-exact fixed-point network (what the chip outputs).
import { mkdirSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import type { Command, CommandContext } from '../command.ts';
import { UsageError, intOption, stringOption } from '../command.ts';
import { listSequences, readSequence } from '../../model/io/frames.ts';
import { writePng } from '../../model/io/image-file.ts';
import { Y4mReader, Y4mWriter } from '../../model/io/y4m.ts';
import { loadNetWeights } from '../../model/net/weights.ts';
import { createFixedNet, DEFAULT_NET_WEIGHTS } from '../../model/net/upscaler.ts';
import { upscaleRgbFrame, upscaleYuvFrame } from '../../model/net/video.ts';

/** One-line progress on stderr: a redrawn bar on a terminal, a line every 10 frames otherwise. */
function progress(log: (s: string) => void) {
  const t0 = Date.now();
  const tty = process.stderr.isTTY;
  return (done: number, total: number | null, label: string) => {
    const s = (Date.now() - t0) / 1000, fps = done / Math.max(s, 1e-9);
    const head = total ? `[${'#'.repeat(Math.round((20 * done) / total)).padEnd(20)}] ${done}/${total}` : `${done} frames`;
    const line = `${head} ${label} ${fps.toFixed(2)} fps`;
    if (tty) process.stderr.write(`\r${line}   ${done === total ? '\n' : ''}`);
    else if (done % 10 === 0 || done === total) log(line);
  };
}

export const command: Command = {
  name: 'upscale',
  summary: 'upscale video x1.5 with the bit-exact fixed-point network',
  usage: '[options] <in> <out>',
  options: {
    weights: { type: 'string', arg: 'FILE', help: 'network weights JSON (default: weights/crnn_q8.json)' },
    'max-frames': { type: 'string', arg: 'N', help: 'stop after N frames (per sequence)' },
  },
  details: `<in> <out> is either
  a folder of frames (or a folder of sequence folders)  ->  a folder of PNGs (same names), or
  a .y4m file (or - for stdin)                          ->  a .y4m file (or - for stdout).
Luma goes through the fixed-point CRNN (state carried across the frames of a sequence),
chroma through the fixed integer bilinear x1.5; colour is integer BT.601 studio range.
Example: ffmpeg -i in.mp4 -f yuv4mpegpipe - | screen upscale - out.y4m`,
  async run(ctx: CommandContext) {
    if (ctx.positionals.length !== 2) throw new UsageError(`expected <in> <out>, got ${ctx.positionals.length} argument(s). Run 'screen upscale --help'.`);
    const [input, output] = ctx.positionals;
    const maxFrames = intOption(ctx.opts, 'max-frames', Number.MAX_SAFE_INTEGER, 1, Number.MAX_SAFE_INTEGER);
    const weights = stringOption(ctx.opts, 'weights', DEFAULT_NET_WEIGHTS)!;
    const netW = loadNetWeights(weights);
    const net = createFixedNet(netW);
    const tick = progress(ctx.log);
    const t0 = Date.now();
    const isY4m = (p: string) => p === '-' || extname(p).toLowerCase() === '.y4m';
    let frames = 0, inSize = '', outSize = '';
    if (isY4m(input)) {
      if (!isY4m(output)) throw new UsageError(`a .y4m input needs a .y4m output (or -), got '${output}'`);
      if (output === '-' && ctx.json) throw new UsageError(`--json and output '-' would both write to stdout`);
      const rd = Y4mReader.fromFile(input);
      const h = await rd.header();
      const out = { ...h, width: (h.width * 3) / 2, height: (h.height * 3) / 2 };
      if (h.width % 2 || h.height % 2) throw new UsageError(`${input}: ${h.width}x${h.height} must have even width and height for x1.5`);
      const wr = Y4mWriter.toFile(output, out);
      for await (const f of rd.frames()) {
        if (frames >= maxFrames) break;
        await wr.write(upscaleYuvFrame(net, f, `${input} frame ${frames}`));
        tick(++frames, null, basename(input));
      }
      await wr.close();
      inSize = `${h.width}x${h.height}`;
      outSize = `${out.width}x${out.height}`;
    } else {
      if (isY4m(output)) throw new UsageError(`a frame-folder input writes a folder of PNGs; '${output}' looks like a y4m file`);
      const seqs = listSequences(input);
      const nested = seqs.length > 1 || seqs[0].dir !== input;
      const total = seqs.reduce((a, s) => a + Math.min(s.frames.length, maxFrames), 0);
      for (const seq of seqs) {
        const dir = nested ? join(output, seq.name) : output;
        mkdirSync(dir, { recursive: true });
        net.reset();
        for (const { path, image } of readSequence(seq, maxFrames)) {
          const hr = upscaleRgbFrame(net, image, path);
          writePng(join(dir, basename(path, extname(path)) + '.png'), hr);
          inSize = `${image.width}x${image.height}`;
          outSize = `${hr.width}x${hr.height}`;
          tick(++frames, total, seq.name);
        }
      }
    }
    const seconds = (Date.now() - t0) / 1000;
    const json = { input, output, frames, in_size: inSize, out_size: outSize, weights, network: netW.name, seconds: Number(seconds.toFixed(3)), frames_per_s: Number((frames / seconds).toFixed(3)) };
    const text = `upscaled ${frames} frame(s) ${inSize} -> ${outSize} into ${output} (${json.frames_per_s} fps)`;
    // With the video on stdout the summary must not be mixed into it.
    if (output === '-') {
      ctx.log(text);
      return { exitCode: 0, json, text: '' };
    }
    return { exitCode: 0, json, text };
  },
};

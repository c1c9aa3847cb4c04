// Beat-list comparison that points at the FIRST difference (beat index, and for video streams
// the pixel x, y and frame), with counts of differing, missing and extra beats.
import { BeatMismatchError } from './errors.ts';
import type { Beat, BeatIn, TimedBeat } from './types.ts';

export interface CompareOptions {
  /** Names the stream in messages, e.g. 'skid_buffer.m_axis'. */
  label?: string;
  /** Compare tlast (default true). */
  compareLast?: boolean;
  /** Compare tuser (default true). */
  compareUser?: boolean;
  /** Video stream geometry: maps a beat index to pixel x, y and frame number. */
  image?: { width: number; height?: number; pixelsPerBeat?: number };
}

export interface BeatDiff {
  index: number;
  fields: ('data' | 'last' | 'user')[];
  expected: Beat;
  got: Beat;
  /** Handshake cycle of the RTL beat, when known. */
  cycle?: number;
  x?: number;
  y?: number;
  frame?: number;
}

export interface CompareReport {
  ok: boolean;
  label: string;
  expectedCount: number;
  actualCount: number;
  /** Beats present in both lists that differ. */
  mismatches: number;
  /** Expected beats the RTL did not produce. */
  missing: number;
  /** RTL beats beyond the expected count. */
  extra: number;
  first?: BeatDiff;
  message: string;
}

export function normalizeBeat(b: BeatIn | Beat): Beat {
  const u = b.user;
  return {
    data: BigInt(b.data),
    last: !!b.last,
    user: u === undefined ? 0n : typeof u === 'boolean' ? (u ? 1n : 0n) : BigInt(u),
  };
}

const hex = (v: bigint) => `0x${v.toString(16)}`;
const fmt = (b: Beat) => `data=${hex(b.data)} last=${b.last ? 1 : 0} user=${hex(b.user)}`;

function where(d: BeatDiff): string {
  const parts: string[] = [];
  if (d.x !== undefined) parts.push(`x=${d.x}, y=${d.y}${d.frame !== undefined ? `, frame ${d.frame}` : ''}`);
  if (d.cycle !== undefined) parts.push(`cycle ${d.cycle}`);
  return parts.length ? ` (${parts.join('; ')})` : '';
}

export function compareBeats(expected: readonly (BeatIn | Beat)[], actual: readonly (Beat | TimedBeat)[], opts: CompareOptions = {}): CompareReport {
  const label = opts.label ?? 'stream';
  const cmpLast = opts.compareLast ?? true;
  const cmpUser = opts.compareUser ?? true;
  const n = Math.min(expected.length, actual.length);
  let mismatches = 0;
  let first: BeatDiff | undefined;
  for (let i = 0; i < n; i++) {
    const e = normalizeBeat(expected[i]);
    const g = normalizeBeat(actual[i]);
    const fields: BeatDiff['fields'] = [];
    if (e.data !== g.data) fields.push('data');
    if (cmpLast && e.last !== g.last) fields.push('last');
    if (cmpUser && e.user !== g.user) fields.push('user');
    if (!fields.length) continue;
    mismatches++;
    if (!first) first = { index: i, fields, expected: e, got: g, ...locate(i, opts), ...cycleOf(actual[i]) };
  }
  const missing = Math.max(0, expected.length - actual.length);
  const extra = Math.max(0, actual.length - expected.length);
  const ok = mismatches === 0 && missing === 0 && extra === 0;
  const counts = `${mismatches} of ${n} compared beats differ, ${missing} missing, ${extra} extra (expected ${expected.length}, got ${actual.length})`;
  let message: string;
  if (ok) message = `${label}: ${n} beats match`;
  else if (first)
    message = `${label}: first mismatch at beat ${first.index}${where(first)} in ${first.fields.join('+')}: expected ${fmt(first.expected)}, got ${fmt(first.got)}; ${counts}`;
  else if (missing) {
    const d = locate(n, opts);
    message = `${label}: output ends early, first missing beat ${n}${d.x !== undefined ? ` (x=${d.x}, y=${d.y}, frame ${d.frame})` : ''} expected ${fmt(normalizeBeat(expected[n]))}; ${counts}`;
  } else {
    const c = cycleOf(actual[n]).cycle;
    message = `${label}: ${extra} extra beats after the expected ${expected.length}, first extra ${fmt(normalizeBeat(actual[n]))}${c !== undefined ? ` (cycle ${c})` : ''}; ${counts}`;
  }
  return { ok, label, expectedCount: expected.length, actualCount: actual.length, mismatches, missing, extra, first, message };
}

/** compareBeats, throwing BeatMismatchError (with the report) when the lists differ. */
export function assertBeatsEqual(expected: readonly (BeatIn | Beat)[], actual: readonly (Beat | TimedBeat)[], opts: CompareOptions = {}): CompareReport {
  const r = compareBeats(expected, actual, opts);
  if (!r.ok) throw new BeatMismatchError(r.message, r);
  return r;
}

function locate(index: number, opts: CompareOptions): { x?: number; y?: number; frame?: number } {
  if (!opts.image) return {};
  const { width, height, pixelsPerBeat = 1 } = opts.image;
  const p = index * pixelsPerBeat;
  const row = Math.floor(p / width);
  return { x: p % width, y: height ? row % height : row, ...(height ? { frame: Math.floor(row / height) } : {}) };
}

function cycleOf(b: Beat | TimedBeat): { cycle?: number } {
  return 'cycle' in b ? { cycle: b.cycle } : {};
}

export interface StageCheck {
  /** Stage name, e.g. 'u_conv1.m_axis' (a tap, debug stream or output). */
  name: string;
  expected: readonly (BeatIn | Beat)[];
  actual: readonly (Beat | TimedBeat)[];
  opts?: CompareOptions;
}

/**
 * Compares per-stage beat logs in pipeline order and returns every report plus the first stage
 * that differs: the earliest place a bug shows, when a final output mismatch is hard to read.
 */
export function compareStages(stages: StageCheck[]): { ok: boolean; firstBad?: CompareReport; reports: CompareReport[] } {
  const reports = stages.map((s) => compareBeats(s.expected, s.actual, { ...s.opts, label: s.opts?.label ?? s.name }));
  const firstBad = reports.find((r) => !r.ok);
  return { ok: !firstBad, firstBad, reports };
}

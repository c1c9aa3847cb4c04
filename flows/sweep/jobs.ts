// Runs the sweep's synthesis jobs in parallel worker processes: each job is
// `node bin/screen.js synth ... --json` (its own process, so Yosys/OpenSTA runs and memory stay
// isolated), at lowered CPU priority, at most `parallel` at a time.
import { spawn } from 'node:child_process';
import { setPriority } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../paths.ts';
import { jobFileName, recordFromReport, synthArgs, writeJobFile, type SynthJob, type SynthRecord } from './cache.ts';

export interface JobOutcome {
  job: SynthJob;
  record: SynthRecord | null;
  error: string | null;
  seconds: number;
}

export interface RunJobsOptions {
  parallel: number;
  /** Where finished reports are stored (the cache). */
  resultDir: string;
  /** Synth work directories (netlists, logs) go under here, one per job. */
  workRoot: string;
  log: (msg: string) => void;
  /** Niceness of the worker processes (the machine is shared). */
  nice?: number;
}

const SCREEN_BIN = join(REPO_ROOT, 'bin', 'screen.js');

export function jobLabel(j: SynthJob): string {
  return `${j.rows}x${j.cols} w${j.quant_bits} ${j.corner} ${j.clock_mhz} MHz`;
}

function runOne(job: SynthJob, o: RunJobsOptions): Promise<JobOutcome> {
  const t0 = performance.now();
  const work = join(o.workRoot, jobFileName(job).replace(/\.json$/, ''));
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [SCREEN_BIN, ...synthArgs(job, work)], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    if (child.pid !== undefined) {
      try {
        setPriority(child.pid, o.nice ?? 10);
      } catch {
        // Not allowed to renice (some containers): run at normal priority.
      }
    }
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const finish = (error: string | null, record: SynthRecord | null) =>
      resolve({ job, record, error, seconds: Math.round((performance.now() - t0) / 10) / 100 });
    child.on('error', (e) => finish(`could not start '${process.execPath} ${SCREEN_BIN} synth': ${e.message}`, null));
    child.on('close', (code) => {
      const tail = err.trim().split('\n').slice(-6).join('\n');
      let doc: unknown;
      try {
        doc = JSON.parse(out);
      } catch {
        return finish(`'screen ${synthArgs(job, work).join(' ')}' exited ${code} without a JSON report:\n${tail}`, null);
      }
      if (code !== 0) {
        const msg = (doc as { error?: { message?: string } }).error?.message ?? tail;
        return finish(`'screen synth' for ${jobLabel(job)} exited ${code}: ${msg}`, null);
      }
      const rec = recordFromReport(job, doc, `synth report of ${jobLabel(job)}`);
      if (typeof rec === 'string') return finish(rec, null);
      writeJobFile(o.resultDir, job, out);
      finish(null, rec);
    });
  });
}

/** Run all jobs, `parallel` at a time; outcomes come back in the jobs' order. */
export async function runSynthJobs(jobs: SynthJob[], o: RunJobsOptions): Promise<JobOutcome[]> {
  const results: JobOutcome[] = new Array(jobs.length);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      o.log(`[sweep] synth start ${i + 1}/${jobs.length}: mac-array ${jobLabel(jobs[i])}`);
      const r = await runOne(jobs[i], o);
      results[i] = r;
      done++;
      o.log(
        r.record
          ? `[sweep] synth done ${done}/${jobs.length}: ${jobLabel(r.job)}: ${r.record.area_mm2.toFixed(4)} mm², fmax ${r.record.fmax_mhz} MHz (${r.seconds} s)`
          : `[sweep] synth FAILED ${done}/${jobs.length}: ${jobLabel(r.job)}: ${r.error}`,
      );
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(o.parallel, jobs.length)) }, worker));
  return results;
}

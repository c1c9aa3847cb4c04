// Typed parameter declarations with ranges (TSSV style). A block declares its parameters
// once; validate() checks a config and reports EVERY violation in one E_INVALID_PARAM.
import { InvalidParamError } from './errors.ts';
import { userLoc } from './srcloc.ts';

export interface ParamSpec<T> {
  /** Human-readable allowed set, e.g. "an integer in [1, 32]". */
  readonly allowed: string;
  readonly default: T | undefined;
  readonly doc: string | undefined;
  /** undefined if ok, else why not. */
  check(v: unknown): string | undefined;
}

type Common<T> = { default?: T; doc?: string };

function spec<T>(allowed: string, check: (v: unknown) => boolean, o: Common<T>): ParamSpec<T> {
  return { allowed, default: o.default, doc: o.doc, check: (v) => (check(v) ? undefined : `must be ${allowed}`) };
}

/** An integer in [min, max]. */
export function int(o: Common<number> & { min: number; max: number }): ParamSpec<number> {
  return spec(`an integer in [${o.min}, ${o.max}]`, (v) => typeof v === 'number' && Number.isInteger(v) && v >= o.min && v <= o.max, o);
}

/** A power of two in [min, max]. */
export function pow2(o: Common<number> & { min: number; max: number }): ParamSpec<number> {
  return spec(`a power of two in [${o.min}, ${o.max}]`, (v) => typeof v === 'number' && Number.isInteger(v) && v >= o.min && v <= o.max && v > 0 && (v & (v - 1)) === 0, o);
}

/** One of a fixed list of values. */
export function oneOf<const T extends string | number | boolean>(choices: readonly T[], o: Common<T> = {}): ParamSpec<T> {
  return spec(`one of ${choices.map((c) => JSON.stringify(c)).join(', ')}`, (v) => (choices as readonly unknown[]).includes(v), o);
}

export function bool(o: Common<boolean> = {}): ParamSpec<boolean> {
  return spec('true or false', (v) => typeof v === 'boolean', o);
}

/** A list of integers, each in [min, max], with length in [minLen, maxLen]. */
export function intList(o: Common<number[]> & { min: number; max: number; minLen?: number; maxLen?: number }): ParamSpec<number[]> {
  const lo = o.minLen ?? 1;
  const hi = o.maxLen ?? 1 << 16;
  return spec(`a list of ${lo}..${hi} integers in [${o.min}, ${o.max}]`, (v) => Array.isArray(v) && v.length >= lo && v.length <= hi && v.every((x) => typeof x === 'number' && Number.isInteger(x) && x >= o.min && x <= o.max), o);
}

export type ParamValues<S extends Record<string, ParamSpec<unknown>>> = { [K in keyof S]: S[K] extends ParamSpec<infer T> ? T : never };

/** A constraint across parameters: return undefined if ok, or a message naming the values. */
export type CrossCheck<P> = (p: P) => string | undefined;

export interface ParamSet<P> {
  readonly name: string;
  readonly specs: Readonly<Record<string, ParamSpec<unknown>>>;
  /** Fill defaults and check everything; throws InvalidParamError listing every violation. */
  validate(config: Partial<P> | Record<string, unknown>): P;
  /** One line per parameter: name, allowed set, default, doc (for --help and docs). */
  describe(): string[];
}

/**
 * Declare a block's parameters: defineParams('mac_pe', { actBits: int({min: 2, max: 16}) },
 * [(p) => p.accBits >= p.actBits + p.weightBits ? undefined : `accBits (${p.accBits}) < actBits + weightBits`]).
 */
export function defineParams<S extends Record<string, ParamSpec<unknown>>>(name: string, specs: S, cross: CrossCheck<ParamValues<S>>[] = []): ParamSet<ParamValues<S>> {
  return {
    name,
    specs,
    validate(config) {
      const problems: string[] = [];
      if (config === null || typeof config !== 'object' || Array.isArray(config)) {
        throw new InvalidParamError({ path: name, detail: `the config must be an object of parameters, got ${config === null ? 'null' : Array.isArray(config) ? 'an array' : typeof config}`, refs: [{ what: 'validated', at: userLoc() }], fix: `pass { ${Object.keys(specs).join(', ')} } (missing keys take their defaults)` });
      }
      const cfg = config as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(cfg)) {
        if (!(k in specs)) problems.push(`${k} = ${JSON.stringify(cfg[k])}: unknown parameter (known: ${Object.keys(specs).join(', ')})`);
      }
      for (const [k, s] of Object.entries(specs)) {
        const v = cfg[k] === undefined ? s.default : cfg[k];
        if (v === undefined) {
          problems.push(`${k}: missing (${s.allowed})`);
          continue;
        }
        const why = s.check(v);
        if (why) problems.push(`${k} = ${JSON.stringify(v)}: ${why}`);
        out[k] = v;
      }
      // Cross checks only make sense once every single value is valid.
      if (problems.length === 0) {
        for (const c of cross) {
          const why = c(out as ParamValues<S>);
          if (why) problems.push(why);
        }
      }
      if (problems.length) {
        throw new InvalidParamError({
          path: name,
          detail: `${problems.length} invalid parameter${problems.length > 1 ? 's' : ''}:\n      ${problems.join('\n      ')}`,
          refs: [{ what: 'validated', at: userLoc() }],
          fix: 'change the config to satisfy the ranges above',
        });
      }
      return out as ParamValues<S>;
    },
    describe() {
      return Object.entries(specs).map(([k, s]) => `${k}: ${s.allowed}${s.default !== undefined ? ` (default ${JSON.stringify(s.default)})` : ''}${s.doc ? ` — ${s.doc}` : ''}`);
    },
  };
}

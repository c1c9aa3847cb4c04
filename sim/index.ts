// Public API of the Verilator stream harness (see sim/README.md).
export * from './types.ts';
export * from './errors.ts';
export { designFromVerilog, portsFromVerilatorXml } from './verilog-ports.ts';
export { groupPorts, type PortGroups } from './streams.ts';
export { buildModel, cacheRoot, type BuildOptions, type BuiltModel } from './build.ts';
export { runStreamSim, toSimDesign, type StreamSimOptions } from './run.ts';
export { designFromCore, isCoreDesign, combValidOnReadyViolations } from './core-design.ts';
export { compareBeats, compareStages, assertBeatsEqual, normalizeBeat, type StageCheck, type CompareOptions, type CompareReport, type BeatDiff } from './compare.ts';
export { simCompare, assertSimCompare, type SimCompareOptions, type SimCompareReport, type ReferenceModel } from './sim-compare.ts';
export { stripCycles } from './beat-file.ts';
export { loadFrame, frameToBeats, framesToBeats, beatsToFrame, davisFramePath, davisSequences, DAVIS_ROOT } from './frames.ts';

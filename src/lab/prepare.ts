import { checkEstimate } from './estimate.js';
import { applyOverrides, type Experiment, loadExperimentFile, parseExperiment } from './experiment.js';
import { pinTrace, resolveTracePath } from './trace_file.js';
import { defaultExperimentPath } from './version.js';

export interface ExperimentArgs {
  file?: string;
  policy?: string;
  seed?: number;
  set?: string[];
  /** refuse an experiment estimated to append more events (default DEFAULT_MAX_EVENTS) */
  maxEvents?: number;
}

/** Experiment file + CLI overrides (--policy, --seed, --set) → a validated experiment of a size this machine can run. */
export function prepareExperiment(args: ExperimentArgs): { exp: Experiment; file: string } {
  const file = args.file ?? defaultExperimentPath();
  const sets = [...(args.set ?? [])];
  if (args.policy !== undefined) sets.push(`policy=${JSON.stringify(args.policy)}`);
  if (args.seed !== undefined) sets.push(`seed=${args.seed}`);
  const raw = resolveTracePath(applyOverrides(loadExperimentFile(file), sets), file);
  const exp = pinTrace(parseExperiment(raw, file));
  checkEstimate(exp, args.maxEvents);
  return { exp, file };
}

/** The one-line command that repeats a run exactly. */
export function reproCommand(file: string, exp: Experiment, sets: readonly string[] = []): string {
  const mode = exp.machine.lru === 'mglru' && exp.policy === 'reparent' ? ` --set policyOptions.mglru='"${exp.policyOptions.mglru}"'` : '';
  const extra = sets.map((s) => ` --set '${s}'`).join('');
  return `memcglab run ${file} --policy ${exp.policy} --seed ${exp.seed}${mode}${extra}`;
}

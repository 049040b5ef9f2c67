// Which YAML documents are lm-eval task/group configs. Decided from content and place, never from the
// `.yaml` ending alone: GitHub workflows, Kubernetes manifests, compose files, Hydra configs and
// lm-eval `--config` run files (top-level `model`/`model_args`) are 'other'.
import { DISTINCTIVE_KEYS } from './knowledge';

export interface ClassifyOptions {
  /** Extra globs (`**` and `*` wildcards) of files to always treat as task configs. */
  globs?: readonly string[];
}

/** Top-level keys of other tools' YAML (Kubernetes, GitHub Actions, compose, Hydra, CI pipelines) that
 * no lm-eval config has: one of them outweighs any number of lm-eval-looking keys (a Hydra config
 * with `defaults: [_self_]`, `task: summarization` and `metric_list: [rouge]` is Hydra's). */
const FOREIGN_KEYS = [
  'apiVersion',
  'kind',
  'jobs',
  'on',
  'services',
  'defaults',
  'hydra',
  'steps',
  'stages',
  'pipeline',
  'volumes',
];
/** Weaker: a top-level `version` is someone else's key too, but lm-eval users also write it by mistake. */
const WEAK_FOREIGN_KEYS = ['version'];
const RUN_CONFIG_KEYS = ['model', 'model_args', 'tasks', 'batch_size', 'output_path', 'device'];

/** Top-level keys written at column 0 (`key:`), read without parsing (cheap and robust to broken YAML). */
export function topLevelKeys(text: string, limit = 20_000): Set<string> {
  const keys = new Set<string>();
  const head = text.length > limit * 40 ? text.slice(0, limit * 40) : text;
  const re = /^(?:"([^"\n]+)"|'([^'\n]+)'|([A-Za-z_][\w.-]*))[ \t]*:(?=[ \t]|$)/gm;
  for (const m of head.matchAll(re)) keys.add(m[1] ?? m[2] ?? m[3]);
  return keys;
}

export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') {
      if (glob[i + 1] === '*') {
        re += '.*';
        i++;
        if (glob[i + 1] === '/') i++;
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`(^|/)${re}$`);
}

export function classifyYamlDocument(path: string, text: string, opts?: ClassifyOptions): 'task-config' | 'other' {
  try {
    const posix = path.replace(/\\/g, '/');
    if (opts?.globs?.some((g) => globToRegExp(g).test(posix))) return 'task-config';
    const keys = topLevelKeys(text);
    const distinctive = [...keys].filter((k) => DISTINCTIVE_KEYS.has(k)).length;
    const hasTask = keys.has('task');
    const hasGroup = keys.has('group');
    const hasInclude = keys.has('include');
    const hasClass = keys.has('class') && /^class:[ \t]*!function\b/m.test(text);
    // An lm-eval run file (`lm-eval run --config`) is someone else's business.
    if ((keys.has('model') || keys.has('model_args')) && !hasTask && !hasGroup) return 'other';
    if (keys.has('tasks') && RUN_CONFIG_KEYS.some((k) => k !== 'tasks' && keys.has(k))) return 'other';
    // Where lm-eval looks for tasks: its own lm_eval/tasks and the `tasks/` folders users pass to
    // --include_path. A foreign key there is a mistake in a task config, reported as unknown-key.
    const inTaskFolder = /(^|\/)tasks\//.test(posix);
    if (!inTaskFolder && FOREIGN_KEYS.some((k) => keys.has(k))) return 'other';
    const foreign = [...FOREIGN_KEYS, ...WEAK_FOREIGN_KEYS].some((k) => keys.has(k));
    if (hasClass) return 'task-config';
    if ((hasTask || hasGroup) && (distinctive > 0 || hasInclude)) return 'task-config';
    if (hasGroup && hasTask && !foreign) return 'task-config';
    if (distinctive >= 2 && !foreign) return 'task-config';
    if (distinctive >= 4) return 'task-config';
    // A bare `task:`/`group:` under a `tasks/` folder (lm-eval's layout).
    if ((hasTask || hasGroup) && !foreign && inTaskFolder && /\.ya?ml$/.test(posix)) return 'task-config';
    // `include:` of a template plus a task-ish key (e.g. only `include` and `task_alias`).
    if (hasInclude && !foreign && [...keys].some((k) => k === 'tag' || k === 'metadata' || DISTINCTIVE_KEYS.has(k)))
      return 'task-config';
    return 'other';
  } catch {
    return 'other';
  }
}

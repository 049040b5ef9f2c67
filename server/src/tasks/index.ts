// Task knowledge for the OOM rules: which tasks `--tasks` names, their output types and max_gen_toks.
export {
  installedTaskNames,
  invalidateTaskIndexes,
  resolveTasks,
  workspaceTaskOwners,
  type ResolvedTaskInfo,
  type TaskSources,
  type TaskSource,
} from './resolveTasks';
export { findLmEvalTasksDir } from './findLmEvalTasksDir';
export { buildTaskIndex, indexConfigFile, listYamlFiles, type TaskIndex, type IndexedTask } from './taskIndex';
export {
  builtinTaskIndex,
  encodeIndex,
  decodeIndex,
  indexNames,
  BUILTIN_INDEX_SOURCE,
  type EncodedIndex,
} from './builtinIndex';
export { fnmatchToRegExp } from './fnmatch';

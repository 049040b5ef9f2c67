// Task knowledge for the OOM rules: which tasks `--tasks` names, their output types and max_gen_toks.
export {
  invalidateTaskIndexes,
  resolveTasks,
  resolveTasksIn,
  taskLayers,
  type ResolvedTaskInfo,
  type TaskLayer,
  type TaskSources,
  type TaskSource,
} from './resolveTasks';
export { findLmEvalTasksDir } from './findLmEvalTasksDir';
export { indexConfigFile, listYamlFiles, type TaskIndex, type IndexedTask } from './taskIndex';
export {
  buildTaskIndex,
  FolderIndex,
  MergedTaskIndex,
  type FileStamp,
  type StatFile,
  type StoredFolderIndex,
} from './folderIndex';
export {
  TaskIndexService,
  type FolderBuilder,
  type IndexPass,
  type IndexProgress,
  type TaskIndexStore,
  type FolderView,
} from './indexService';
export {
  builtinTaskIndex,
  encodeIndex,
  decodeIndex,
  indexNames,
  BUILTIN_INDEX_SOURCE,
  type EncodedIndex,
} from './builtinIndex';
export { fnmatchToRegExp } from './fnmatch';

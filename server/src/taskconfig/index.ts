// Public API of the task/group config checker (lm-eval task YAMLs), used by the LSP server and the CLI.
export type { TaskConfigContext, TaskFileSystem, DirEntry, ConfigKind } from './types';
export { classifyYamlDocument, type ClassifyOptions } from './classify';
export { validateTaskConfig, analyzeTaskConfig, kindOf, MAX_CHECKED_BYTES, MAX_PARSED_BYTES } from './validate';
export { validateTaskConfigWorkspace } from './workspace';
export { completeTaskConfig } from './editor/complete';
export { hoverTaskConfig } from './editor/hover';
export { definitionTaskConfig, documentLinksTaskConfig } from './editor/links';
export { parseTaskYaml } from './yamlTree';
export { harnessRules, harnessDirective } from './harnessVersion';
/** The value for Red Hat YAML's `yaml.customTags` setting so it accepts lm-eval's tag. */
export const FUNCTION_CUSTOM_TAG = '!function scalar';

// What the facts layer needs from the outside world, injected so that tests pass fixtures and the
// CLI and the server pass real implementations (file system, Hugging Face cache, nvidia-smi).
import type { ModelArchitecture, OutputType } from '../memory/types';
import type { ConfigProblem, LensConfigValues } from '../project/configFile';
import type { SpecDialect, TrackedPackage } from '../project/types';
import type { TaskHarnessFact } from '../taskconfig/otherHarness';

export interface ArchitectureResolution {
  architecture: ModelArchitecture;
  source: 'catalog' | 'hf-cache' | 'local' | 'hub';
}

/** Where a `pretrained=` value is written: relative paths resolve from the script's folder. */
export interface ModelContext {
  /** Absolute path of the document. */
  file?: string;
}

export interface ResolvedTask {
  name: string;
  outputType: OutputType;
  maxGenToks?: number;
  source: 'workspace' | 'include-path' | 'lm-eval-install' | 'builtin';
}

export interface TaskResolution {
  tasks: ResolvedTask[];
  unknown: string[];
}

export interface DetectedGpu {
  index: number;
  name: string;
  totalBytes: number;
  freeBytes: number;
}

export interface FactProviders {
  /** Offline and synchronous: this runs on every keystroke. */
  resolveArchitecture(pretrained: string, from?: ModelContext): ArchitectureResolution | undefined;
  resolveTasks(names: string[], includePaths: string[]): TaskResolution;
  /** GPUs on the machine running the server (nvidia-smi); undefined when unknown or not allowed. */
  detectGpus(): DetectedGpu[] | undefined;
  /** The project files and Python environment around `file` (absolute path); absent = none known. */
  projectFacts?(file: string): ProjectFacts;
  /** A path as the user should read it: relative to the workspace (editor) or the current folder (CLI). */
  displayPath?(file: string): string;
}

/** Where a version was found, from the most specific source to the least (README "Versions"). */
export type VersionSourceKind =
  | 'directive'
  | 'settings'
  | 'config-file'
  | 'script'
  | 'container-image'
  | 'project'
  | 'installed'
  | 'vendored'
  | 'default';

/** A version constraint found in the project or its environment, not yet resolved to a version. */
export interface VersionEvidence {
  package: TrackedPackage;
  kind: 'config-file' | 'script' | 'container-image' | 'project' | 'installed' | 'vendored';
  /** Absolute path of the file it is written in. */
  file: string;
  /** 1-based line. */
  line?: number;
  spec: string;
  dialect: SpecDialect;
  /** What is written there (`vllm==0.6.3`, `vllm/vllm-openai:v0.6.3`). */
  written: string;
  /** Said next to the version (a quirk of the source). */
  note?: string;
  /** lm-eval only: the folder holding the `lm_eval` package this version is of, when it is on disk (a
   * vendored copy, site-packages, an editable install's checkout): its config classes are read as text. */
  sourceRoot?: string;
}

/** The project's config file in force for one file (`.lm-eval-lens.json` or `[tool.lm-eval-lens]`). */
export interface ProjectConfig {
  /** Absolute path of the config file. */
  file: string;
  /** Its values for this file, per-path overrides applied. */
  values: LensConfigValues;
  /** Problems in the config file (each is reported once per checked file in the editor, exit 2 in the CLI). */
  problems: ConfigProblem[];
}

/** What the project around a file and its Python environment say. */
export interface ProjectFacts {
  config?: ProjectConfig;
  /** Every piece of version evidence, in precedence order (see facts/versions.ts). */
  evidence: VersionEvidence[];
  /** Which harness the task configs here belong to: the config file's `task-harness`, else the nearest
   * harness package folder or project (absent: lm-eval, the default). */
  taskHarness?: TaskHarnessFact;
}

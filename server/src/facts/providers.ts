// What the facts layer needs from the outside world, injected so that tests pass fixtures and the
// CLI and the server pass real implementations (file system, Hugging Face cache, nvidia-smi).
import type { ModelArchitecture, OutputType } from '../memory/types';

export interface ArchitectureResolution {
  architecture: ModelArchitecture;
  source: 'catalog' | 'hf-cache' | 'local' | 'hub';
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
  resolveArchitecture(pretrained: string): ArchitectureResolution | undefined;
  resolveTasks(names: string[], includePaths: string[]): TaskResolution;
  /** GPUs on the machine running the server (nvidia-smi); undefined when unknown or not allowed. */
  detectGpus(): DetectedGpu[] | undefined;
}

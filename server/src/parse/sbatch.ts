// `#SBATCH` lines of a SLURM script: which GPU type and how many the job asks for. The parser only
// reads text; which of the `--constraint` features names a GPU is decided by facts/gpu.ts.

export interface SbatchGpu {
  /** The GPU type named by `--gres=gpu:TYPE[:N]` or `--gpus=TYPE:N` (the last one given). */
  type?: string;
  count?: number;
  /** `--constraint` features in order (`a100&ib` gives `a100`, `ib`); any of them may name a GPU. */
  constraints: string[];
}

/** `#SBATCH --gres=gpu:a100:4`, `--gpus=h100:2` (`-G h100:2`), `--gpus-per-node=4`, `--constraint=a100`. */
export function parseSbatchGpu(text: string): SbatchGpu {
  const out: SbatchGpu = { constraints: [] };
  const re = /^[ \t]*#SBATCH[ \t]+(.*)$/gm;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const line = m[1];
    const gres = /--gres[= ](?:\S*,)?gpu(?::([A-Za-z][\w.-]*))?(?::(\d+))?/.exec(line);
    if (gres) {
      if (gres[1]) out.type = gres[1];
      if (gres[2]) out.count = Number(gres[2]);
      else if (!gres[1]) out.count = out.count ?? 1;
    }
    const gpus = /(?:--gpus(?:-per-node|-per-task)?[= ]|(?:^|\s)-G[= ]?)(?:([A-Za-z][\w.-]*):)?(\d+)/.exec(line);
    if (gpus) {
      if (gpus[1]) out.type = gpus[1];
      out.count = Number(gpus[2]);
    }
    const constraint = /--constraint[= ]["']?([\w.&|-]+)/.exec(line);
    if (constraint) out.constraints.push(...constraint[1].split(/[&|]/).filter(Boolean));
  }
  return out;
}

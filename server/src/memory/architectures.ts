// Looking models up in the built-in catalog: exact ids, the -Instruct / -it / -chat variants that
// share an architecture (catalogVariants.ts), quantized repacks (`-AWQ`, `-FP8-dynamic`, `-bnb-4bit`)
// and other orgs' copies.
import { CATALOG_MODELS } from './architectureData';
import { CATALOG_VARIANTS } from './catalogVariants';
import { notModelledReason } from './notModelled';
import { quantizationFromName } from './quantization';
import type { ModelArchitecture, QuantizationSpec } from './types';

// Unsloth names its dynamic 4-bit checkpoints `-unsloth-bnb-4bit`: some layers stay 16-bit, which
// Unsloth puts at under 10 % more memory than plain NF4 (its "Dynamic 4-bit Quantization" post).
const UNSLOTH_DYNAMIC: SuffixCaveat = {
  note: 'assumption: an Unsloth dynamic 4-bit checkpoint keeps some layers in 16-bit (its config.json lists them in llm_int8_skip_modules); without that config every layer is counted as 4-bit, so the weights may be up to 10 % low',
  weightsUncertainty: 0.1,
};

interface SuffixCaveat {
  note: string;
  weightsUncertainty: number;
}

// Suffixes of quantized repacks, longest first: the architecture is the base model's.
const QUANT_SUFFIXES: [RegExp, string, SuffixCaveat?][] = [
  [/-unsloth-bnb-4bit$/i, 'bitsandbytes', UNSLOTH_DYNAMIC],
  [/-bnb-4bit$/i, 'bitsandbytes'],
  [/-gptq-int4$/i, 'gptq'],
  [/-gptq-int8$/i, 'gptq8'],
  [/-gptq$/i, 'gptq'],
  [/-int4-awq$/i, 'awq'],
  [/-awq-int4$/i, 'awq'], // hugging-quants/Meta-Llama-3.1-8B-Instruct-AWQ-INT4
  [/-awq(-4bit)?$/i, 'awq'],
  [/-fp8-dynamic$/i, 'fp8'],
  [/-fp8$/i, 'fp8'],
  [/(-quantized)?[-.]w8a8$/i, 'int8'], // RedHatAI's -quantized.w8a8 and -W8A8
  [/-quantized\.w8a16$/i, 'gptq8'],
  [/(-quantized)?[-.]w4a16$/i, 'gptq'], // RedHatAI's -quantized.w4a16 and -W4A16
  [/-nvfp4$/i, 'nvfp4'],
];

const BY_ID = new Map<string, ModelArchitecture>();
const BY_NAME = new Map<string, string[]>();
for (const a of CATALOG_MODELS) BY_ID.set(a.id.toLowerCase(), a);
for (const id of [...CATALOG_MODELS.map((a) => a.id), ...Object.keys(CATALOG_VARIANTS)]) {
  const name = (id.split('/').pop() ?? id).toLowerCase();
  BY_NAME.set(name, [...(BY_NAME.get(name) ?? []), id]);
}
// The name part with case and separators ignored: `qwen2_5-72b-instruct` is Qwen2.5-72B-Instruct,
// as people name checkpoint folders.
const looseName = (name: string) => name.toLowerCase().replace(/[-_.\s]+/g, '');
const BY_LOOSE_NAME = new Map<string, string[]>();
for (const [name, ids] of BY_NAME) {
  const key = looseName(name);
  BY_LOOSE_NAME.set(key, [...new Set([...(BY_LOOSE_NAME.get(key) ?? []), ...ids])]);
}
const VARIANT_BY_ID = new Map(Object.entries(CATALOG_VARIANTS).map(([k, v]) => [k.toLowerCase(), { id: k, ...v }]));

/** The catalog id, the variant chain's assumptions, and the architecture, for an exact id. */
function exact(id: string, depth = 0): { arch: ModelArchitecture; notes: string[]; rootId: string } | undefined {
  const key = id.toLowerCase();
  const direct = BY_ID.get(key);
  if (direct) return { arch: direct, notes: [], rootId: direct.id };
  const v = VARIANT_BY_ID.get(key);
  if (!v || depth > 4) return undefined;
  const base = exact(v.base, depth + 1);
  if (!base) return undefined;
  const arch: ModelArchitecture = { ...base.arch, ...v.overrides, id: v.id };
  for (const k of Object.keys(arch) as (keyof ModelArchitecture)[]) if (arch[k] === undefined) delete arch[k];
  return { arch, notes: v.assumption ? [...base.notes, v.assumption] : base.notes, rootId: base.rootId };
}

/** `org/name`, `https://huggingface.co/org/name`, `org/name@rev`, `org/name/` → `org/name`. */
export function normalizeModelId(raw: string): string {
  let s = raw.trim();
  s = s.replace(/^https?:\/\/(?:www\.)?huggingface\.co\//i, '').replace(/^hf:\/\//i, '');
  s = s.replace(/\s*\([^)]*\)\s*$/, ''); // "Meta-Llama-3-70B (BF16)" as people write it
  s = s.replace(/\/(?:tree|blob|resolve)\/.*$/i, '');
  s = s.replace(/@[\w.-]+$/, '');
  s = s.replace(/\/+$/, '');
  return s;
}

export interface CatalogLookup {
  architecture: ModelArchitecture;
  /** The catalog entry it came from (the root of a variant chain: google/gemma-3-27b-pt for -it). */
  catalogId: string;
  /** The model the id matched (the variant itself: google/gemma-3-27b-it), before any repack suffix. */
  matchedId: string;
  /** Plain-words caveats (variant not verified field by field, another org's repack, ...). */
  assumptions: string[];
}

/** Catalog lookup with the reasons it matched; undefined when nothing in the catalog fits. */
export function lookupArchitectureDetailed(id: string): CatalogLookup | undefined {
  if (typeof id !== 'string' || id.length === 0 || id.length > 300) return undefined;
  const clean = normalizeModelId(id);
  if (!clean) return undefined;
  const found = findWithSuffixes(clean);
  if (!found) return undefined;
  const architecture: ModelArchitecture = { ...found.arch, id: clean };
  if (found.quantization && !architecture.checkpointQuantization)
    architecture.checkpointQuantization = found.quantization;
  const notModelled = notModelledReason(architecture.modelType);
  if (notModelled) architecture.notModelled = notModelled;
  return { architecture, catalogId: found.rootId, matchedId: found.arch.id, assumptions: found.notes };
}

/** The architecture of a model id (case-insensitive; tolerates a trailing `/` and `@revision`). */
export function lookupArchitecture(id: string): ModelArchitecture | undefined {
  return lookupArchitectureDetailed(id)?.architecture;
}

interface Found {
  arch: ModelArchitecture;
  rootId: string;
  notes: string[];
  quantization?: QuantizationSpec;
}

function findWithSuffixes(id: string): Found | undefined {
  const direct = findById(id);
  if (direct) return direct;
  for (const [re, method, caveat] of QUANT_SUFFIXES) {
    if (!re.test(id)) continue;
    const base = findById(id.replace(re, ''));
    if (!base) continue;
    const q = method === 'gptq8' ? { method: 'gptq', bits: 8, groupSize: 128 } : quantizationFromName(method);
    const notes = [...base.notes, `assumption: a ${q?.method ?? method} repack of ${base.arch.id}`];
    if (!caveat) return { ...base, quantization: q, notes };
    return {
      ...base,
      arch: { ...base.arch, weightsUncertainty: caveat.weightsUncertainty },
      quantization: q,
      notes: [...notes, caveat.note],
    };
  }
  return undefined;
}

function findById(id: string): Found | undefined {
  const e = exact(id);
  if (e) return e;
  // Another org's copy, or a bare name: match the name part when it is unambiguous.
  const name = (id.split('/').pop() ?? id).toLowerCase();
  const ids = BY_NAME.get(name) ?? BY_LOOSE_NAME.get(looseName(name));
  if (ids?.length !== 1) return undefined;
  const e2 = exact(ids[0]);
  if (!e2) return undefined;
  const note = id.includes('/') ? `assumption: ${id} is a copy of ${ids[0]}` : `assumption: ${id} is ${ids[0]}`;
  return { arch: e2.arch, notes: [...e2.notes, note], rootId: e2.rootId };
}

// Modules a quantized checkpoint keeps in the model dtype (`llm_int8_skip_modules`,
// `modules_to_not_convert`, `ignored_layers`, compressed-tensors `ignore`): which decoder linear
// layers they name, and how many parameters those hold. Unsloth's dynamic 4-bit checkpoints, for
// one, keep a few layers' MLPs in bf16, which costs ≈1.5 B more per parameter than NF4.
import { attentionModules, type LayerModule, mlpModules } from './layerModules';
import type { ModelArchitecture, UnquantizedModules } from './types';

/**
 * The linear layers of decoder layer `i` under Hugging Face's Llama/Qwen/Mistral/DeepSeek names
 * (`model.layers.3.mlp.down_proj`). All experts of a layer are one entry (`mlp.experts`), so a
 * pattern naming a single expert counts the layer's whole expert block: a conservative (larger)
 * estimate for a rare case.
 */
export function decoderLinearModules(arch: ModelArchitecture, i: number): LayerModule[] {
  const moeLayer = !!arch.moe && i >= (arch.moe.firstKDenseLayers ?? 0);
  return [...attentionModules(arch), ...mlpModules(arch, moeLayer)].map((m) => ({
    ...m,
    name: `model.layers.${i}.${m.name}`,
  }));
}

/** `re:` patterns tried per list (real lists hold a handful; exact names have no limit). */
const MAX_REGEX_PATTERNS = 64;

/** Globs (`model.layers.*.mlp`) with at most this many wildcards; more are taken literally. */
const MAX_WILDCARDS = 4;

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** `model.layers.*.mlp` as a regex with `.*` for each `*`, or undefined when it has no wildcard. */
function globRegExp(pattern: string): RegExp | undefined {
  const stars = pattern.split('*').length - 1;
  if (stars === 0 || stars > MAX_WILDCARDS) return undefined;
  return new RegExp(pattern.split('*').map(escapeRegExp).join('.*'));
}

/**
 * A compressed-tensors `re:` pattern, compiled only when it cannot backtrack catastrophically on a
 * module name: no back-references and no quantified group that itself holds a quantifier.
 */
export function safeModuleRegExp(source: string): RegExp | undefined {
  if (source.length > 200 || /\\[1-9]/.test(source) || /\([^()]*[*+?}][^()]*\)\s*[*+?{]/.test(source)) return undefined;
  try {
    return new RegExp(`^(?:${source})`);
  } catch {
    return undefined; // Python-only syntax (`(?P<name>`) and the like: the pattern is ignored
  }
}

/** A predicate telling whether a module name is kept unquantized, following vLLM's rule for the list. */
export function unquantizedModuleMatcher(list: UnquantizedModules): (name: string) => boolean {
  const { patterns, match } = list;
  if (match === 'bnb') {
    // is_layer_skipped_bnb: a pattern equal to one dot component, or to a dotted prefix.
    const set = new Set(patterns);
    return (name) => {
      const parts = name.split('.');
      for (let i = 0; i < parts.length; i++)
        if (set.has(parts[i]) || set.has(parts.slice(0, i + 1).join('.'))) return true;
      return false;
    };
  }
  if (match === 'substring') {
    const globs = patterns.map((p) => ({ p, re: globRegExp(p) }));
    return (name) => globs.some(({ p, re }) => (re ? re.test(name) : name.includes(p)));
  }
  const exact = new Set(patterns.filter((p) => !p.startsWith('re:')));
  const regexps = patterns
    .filter((p) => p.startsWith('re:'))
    .slice(0, MAX_REGEX_PATTERNS)
    .map((p) => safeModuleRegExp(p.slice(3)))
    .filter((r): r is RegExp => r !== undefined);
  return (name) => exact.has(name) || regexps.some((r) => r.test(name));
}

// One list is matched against one architecture's modules once: an estimate asks per stage and
// per rank, and the server re-estimates on every edit.
const byLayerCache = new WeakMap<UnquantizedModules, Map<string, readonly number[]>>();

/** Per decoder layer, the parameters the list keeps unquantized among those the method would quantize. */
export function unquantizedParamsByLayer(
  arch: ModelArchitecture,
  list: UnquantizedModules,
  expertsOnly: boolean,
): readonly number[] {
  const key = JSON.stringify([
    arch.numLayers,
    arch.hiddenSize,
    arch.intermediateSize,
    arch.numAttentionHeads,
    arch.numKeyValueHeads,
    arch.headDim,
    arch.moe,
    arch.mla,
    arch.modelType,
    expertsOnly,
  ]);
  let perList = byLayerCache.get(list);
  const cached = perList?.get(key);
  if (cached) return cached;
  const matches = unquantizedModuleMatcher(list);
  const out: number[] = [];
  for (let i = 0; i < arch.numLayers; i++) {
    let params = 0;
    for (const m of decoderLinearModules(arch, i))
      if ((!expertsOnly || m.expert) && matches(m.name)) params += m.params;
    out.push(params);
  }
  if (!perList) {
    perList = new Map();
    byLayerCache.set(list, perList);
  }
  perList.set(key, out);
  return out;
}

/**
 * Parameters of decoder layers [from, to) that the list keeps unquantized, among those the method
 * would quantize (`expertsOnly`: MoE experts only).
 */
export function unquantizedParams(
  arch: ModelArchitecture,
  list: UnquantizedModules,
  from: number,
  to: number,
  expertsOnly: boolean,
): number {
  const byLayer = unquantizedParamsByLayer(arch, list, expertsOnly);
  let params = 0;
  for (let i = Math.max(0, from); i < Math.min(byLayer.length, to); i++) params += byLayer[i];
  return params;
}

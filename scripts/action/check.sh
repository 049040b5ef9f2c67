#!/usr/bin/env bash
# action.yml, step "check": run `lm-eval-lens check` for annotations (--format github, which the
# runner turns into pull-request annotations) and for SARIF, record the exit status, and never fail
# here, so the SARIF upload still runs; the action's last step fails the job.
# Inputs come as INPUT_* environment variables (never pasted into the script: no injection).
# Writes `exit-code` and `sarif-file` to $GITHUB_OUTPUT, the findings to $GITHUB_STEP_SUMMARY.
set -uo pipefail
read -r -a cli <<<"${LENS_CLI:?the install step names the CLI}"
read -r -a paths <<<"${INPUT_PATHS:-.}"
[ ${#paths[@]} -gt 0 ] || paths=(.)
read -r -a extra <<<"${INPUT_ARGS:-}"
flags=()
[ -n "${INPUT_GPU:-}" ] && flags+=(--gpu "$INPUT_GPU")
[ -n "${INPUT_GPU_COUNT:-}" ] && flags+=(--gpu-count "$INPUT_GPU_COUNT")
[ -n "${INPUT_VLLM_VERSION:-}" ] && flags+=(--vllm-version "$INPUT_VLLM_VERSION")
[ -n "${INPUT_HARNESS_VERSION:-}" ] && flags+=(--harness-version "$INPUT_HARNESS_VERSION")
# The runner's machine is not the one the jobs run on: never ask its nvidia-smi.
flags+=(--no-detect)
output=${GITHUB_OUTPUT:-/dev/null}

format=text
[ "${INPUT_ANNOTATIONS:-true}" = true ] && format=github
report=$(mktemp)
"${cli[@]}" check --format "$format" "${flags[@]}" "${extra[@]}" -- "${paths[@]}" | tee "$report"
code=${PIPESTATUS[0]}

sarif_file=''
if [ "${INPUT_SARIF:-true}" = true ]; then
  sarif_file=${INPUT_SARIF_FILE:-lm-eval-lens.sarif}
  "${cli[@]}" check --format sarif --output "$sarif_file" "${flags[@]}" "${extra[@]}" -- "${paths[@]}"
  sarif_code=$?
  if [ "$sarif_code" = 2 ] || [ ! -s "$sarif_file" ]; then
    sarif_file=''
    code=2
  fi
fi

# The job summary: the counts line the report ends with, and the findings as a list.
if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
  {
    echo "### lm-eval-lens: $(tail -n 1 "$report")"
    grep -E '^::(error|warning|notice) ' "$report" | sed -E 's/^::([a-z]+) file=([^,]*),line=([0-9]+).*title=lm-eval-lens \(([^)]*)\)::([^%]*).*$/- **\1** `\2:\3` (\4): \5/' | head -n 200
  } >>"$GITHUB_STEP_SUMMARY"
fi
echo "exit-code=$code" >>"$output"
echo "sarif-file=$sarif_file" >>"$output"
echo "lm-eval-lens: exit $code"
exit 0

// `vllm serve …` then `lm_eval --model local-completions --model_args base_url=http://localhost:8000/…`
// in one script: the common way to evaluate against a server. The lm-eval run holds no vLLM memory
// of its own; its hover links to the server launch that does.
import type { LaunchFacts } from './launch';

/** lm-eval's OpenAI-compatible API backends (lm_eval/models/openai_completions.py). */
const API_BACKENDS = new Set([
  'local-completions',
  'local-chat-completions',
  'openai-completions',
  'openai-chat-completions',
]);

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '0.0.0.0', '::1', '[::1]']);

interface Endpoint {
  /** undefined: not known (a `$HOST` we cannot resolve). */
  host?: string;
  port?: string;
}

function clientEndpoint(f: LaunchFacts): Endpoint | undefined {
  const url = f.args.get('base_url');
  if (!url) return undefined;
  const text = String(url.value);
  const m = /^\s*(https?):\/\/([^/:\s]*|\[[^\]]*\])(?::([^/\s]*))?/.exec(text);
  if (!m) return url.unresolved ? {} : undefined;
  const known = (s: string | undefined) => (s && !/[$`<{]/.test(s) ? s : undefined);
  return { host: known(m[2]), port: m[3] === undefined ? (m[1] === 'https' ? '443' : '80') : known(m[3]) };
}

function serverEndpoint(f: LaunchFacts): Endpoint {
  const s = f.invocation.server;
  const port = s?.port;
  const host = s?.host;
  const unknown = (v: { value: string } | undefined, arg: string) => !!v && !!f.args.get(arg)?.unresolved;
  return {
    host: host ? (unknown(host, 'host') ? undefined : host.value) : '0.0.0.0',
    port: port ? (unknown(port, 'port') ? undefined : port.value) : '8000',
  };
}

/** Point each local API run at the `vllm serve` launch it talks to, when the file says enough. */
export function linkLocalServers(launches: LaunchFacts[]): void {
  const servers = launches.filter((l) => l.isServe);
  if (!servers.length) return;
  for (const client of launches) {
    if (client.isServe || !API_BACKENDS.has(client.backend)) continue;
    const c = clientEndpoint(client);
    if (!c) continue;
    const candidates = servers.filter((s) => {
      const e = serverEndpoint(s);
      const portOk = c.port === undefined || e.port === undefined ? servers.length === 1 : c.port === e.port;
      const hostOk = c.host === undefined || LOCAL_HOSTS.has(c.host) || c.host === e.host || e.host === undefined;
      return portOk && hostOk;
    });
    // The server started last before the run, else the first one after it.
    const start = client.invocation.range.start;
    const before = candidates.filter((s) => s.invocation.range.start < start);
    const chosen = before.length ? before[before.length - 1] : candidates[0];
    if (chosen) client.server = chosen;
  }
}

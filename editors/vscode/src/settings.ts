// VS Code's `carbonlsp.*` settings → the server's `carbonlsp` section. Pure: `get` reads one key.

/** Keys of the server's settings section that VS Code exposes (as `carbonlsp.<key>`). */
export const serverKeys = ['region', 'device', 'pue', 'budget', 'tokenizerPath', 'modelsPath', 'trustedModelFolders', 'gridProvider', 'gridUrl', 'outputDir', 'debounceMs', 'inlayHints', 'codeLens'] as const;
/** Keys under `carbonlsp.rules.*`. */
export const ruleKeys = ['stepsTolerance', 'resolutionTolerance', 'maxImages', 'batchMinSaving', 'lighterModelMinSaving', 'disabled'] as const;

export type ServerSettings = Record<string, unknown> & { rules?: Record<string, unknown> };

function present(v: unknown): boolean {
  return v !== undefined && v !== null && !(typeof v === 'string' && v.trim() === '');
}

/**
 * Builds the object the server reads: unset, null and empty-string values are left out so the
 * server (and the prompt file's own values) decide. Extension-only keys (`server.*`, `trace.*`)
 * are not sent.
 */
export function toServerSettings(get: (key: string) => unknown): ServerSettings {
  const out: ServerSettings = {};
  for (const k of serverKeys) {
    const v = get(k);
    if (present(v)) out[k] = typeof v === 'string' ? v.trim() : v;
  }
  const rules: Record<string, unknown> = {};
  const nested = get('rules');
  for (const k of ruleKeys) {
    let v = get(`rules.${k}`);
    if (!present(v) && nested && typeof nested === 'object') v = (nested as Record<string, unknown>)[k];
    if (present(v) && !(Array.isArray(v) && v.length === 0)) rules[k] = k === 'disabled' && Array.isArray(v) ? v.map((c) => String(c).toUpperCase()) : v;
  }
  if (Object.keys(rules).length > 0) out.rules = rules;
  return out;
}

/** Answer to workspace/configuration: our section mapped, other sections left to `other`. */
export function answerConfiguration(
  items: { section?: string }[],
  ours: () => ServerSettings,
  other: (section: string | undefined) => unknown,
): unknown[] {
  return items.map((i) => (i.section === 'carbonlsp' ? ours() : other(i.section)));
}
